import { DomainError, NotFoundError } from '#libs/platform';

export class FileNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('File', id);
  }
}

export class FileTooLargeError extends DomainError {
  constructor(maxBytes: number, what = 'The file') {
    super('file-too-large', 413, 'File too large', {
      detail: `${what} exceeds the limit of ${maxBytes} bytes`,
      extensions: { maxBytes },
    });
  }
}

export class FileTypeMismatchError extends DomainError {
  constructor(declared: string | undefined, detected: string) {
    super('file-type-mismatch', 415, 'File type mismatch', {
      detail: `The file was declared as ${declared ?? 'unknown'} but its bytes are ${detected}`,
      extensions: { declared: declared ?? null, detected },
    });
  }
}

export class FileTypeNotAllowedError extends DomainError {
  constructor(type: string, allowed: readonly string[]) {
    super('file-type-not-allowed', 415, 'File type not allowed', {
      detail: `Files of type ${type} are not accepted`,
      extensions: { detected: type, allowed },
    });
  }
}

export class EmptyFileError extends DomainError {
  constructor() {
    super('empty-file', 400, 'Empty file', { detail: 'The file has no content' });
  }
}

export class InvalidBase64Error extends DomainError {
  constructor(field = 'file_content') {
    super('invalid-base64', 400, 'Invalid base64', {
      detail: `${field} is not valid base64 (RFC 4648, standard alphabet)`,
      extensions: { field },
    });
  }
}

export class MultipartRequiredError extends DomainError {
  constructor(detail: string) {
    super('multipart-required', 415, 'multipart/form-data expected', { detail });
  }
}

export class MalformedUploadError extends DomainError {
  constructor(detail: string) {
    super('malformed-upload', 400, 'Malformed upload', { detail });
  }
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid-cursor', 400, 'Invalid cursor', {
      detail: 'cursor must be the nextCursor of a previous page of the same listing',
      extensions: { field: 'cursor' },
    });
  }
}

export class FileNotReadyError extends DomainError {
  constructor(id: string) {
    super('file-not-ready', 409, 'File not ready', {
      detail: `File ${id} is still PENDING: upload its bytes and call POST /files/${id}/complete`,
      extensions: { fileStatus: 'PENDING' },
    });
  }
}

export class UploadMissingError extends DomainError {
  constructor(id: string) {
    super('upload-missing', 409, 'Upload missing', {
      detail: `Nothing was uploaded for file ${id} yet: PUT the bytes to the upload URL first`,
    });
  }
}

export class UploadSizeMismatchError extends DomainError {
  constructor(announced: number, received: number) {
    super('upload-size-mismatch', 422, 'Upload size mismatch', {
      detail: `The upload announced ${announced} bytes but ${received} arrived; request a new upload URL`,
      extensions: { announced, received },
    });
  }
}
