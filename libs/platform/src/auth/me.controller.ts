import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated } from '../http/api-problems.js';
import { CurrentUser, type Principal } from './principal.js';

export class MeResponse {
  @ApiProperty({ description: 'Cognito sub: the stable user id' }) sub!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ required: false, nullable: true, type: String }) email!: string | null;
  @ApiProperty({ type: [String] }) groups!: string[];
}

@ApiTags('auth')
@ApiAuthenticated()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The authenticated caller, as the API sees it' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentUser() principal: Principal): MeResponse {
    return {
      sub: principal.sub,
      username: principal.username,
      email: principal.email ?? null,
      groups: [...principal.groups],
    };
  }
}
