import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, type Principal } from './principal.js';

export class MeResponse {
  @ApiProperty({ description: 'Cognito sub: the stable user id' }) sub!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ required: false, nullable: true, type: String }) email!: string | null;
  @ApiProperty({ type: [String] }) groups!: string[];
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The authenticated caller, as the API sees it' })
  @ApiOkResponse({ type: MeResponse })
  @ApiUnauthorizedResponse({ description: 'Missing, expired or foreign token' })
  me(@CurrentUser() principal: Principal): MeResponse {
    return {
      sub: principal.sub,
      username: principal.username,
      email: principal.email ?? null,
      groups: [...principal.groups],
    };
  }
}
