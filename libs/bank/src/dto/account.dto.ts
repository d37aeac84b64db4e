import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ClosedSchema, OptionalField } from '#libs/platform';
import type { Account, NotificationPreferences } from '../bank.types.js';
import { ACCOUNT_CURRENCIES, formatAmount } from '../domain/money.js';

@ClosedSchema()
export class PreferencesPatchDto {
  @ApiPropertyOptional({ description: 'Master switch: no e-mail at all when false' })
  @OptionalField()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional({ description: 'Deposit confirmations' })
  @OptionalField()
  @IsBoolean()
  deposits?: boolean;

  @ApiPropertyOptional({ description: 'Withdrawal notices' })
  @OptionalField()
  @IsBoolean()
  withdrawals?: boolean;

  @ApiPropertyOptional({ description: 'Large-operation alerts' })
  @OptionalField()
  @IsBoolean()
  largeOperations?: boolean;
}

export class PreferencesDto implements NotificationPreferences {
  @ApiProperty() email!: boolean;
  @ApiProperty() deposits!: boolean;
  @ApiProperty() withdrawals!: boolean;
  @ApiProperty() largeOperations!: boolean;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  email: true,
  deposits: true,
  withdrawals: true,
  largeOperations: true,
};

@ClosedSchema()
export class CreateAccountDto {
  @ApiProperty({ example: 'Ada Lovelace', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  holderName!: string;

  @ApiProperty({
    example: 'ada@example.com',
    description: 'Where notifications go',
    format: 'email',
    maxLength: 254,
  })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    example: 'EUR',
    enum: ACCOUNT_CURRENCIES,
    description: 'An ISO 4217 currency code; amounts use its minor unit (EUR 2, JPY 0, KWD 3)',
  })
  @IsIn(ACCOUNT_CURRENCIES, { message: 'currency must be an ISO 4217 currency code such as EUR' })
  currency!: string;

  @ApiPropertyOptional({ type: PreferencesPatchDto, description: 'Defaults: everything on' })
  @OptionalField()
  @IsObject()
  @ValidateNested()
  @Type(() => PreferencesPatchDto)
  notifications?: PreferencesPatchDto;
}

@ClosedSchema()
export class UpdateAccountDto {
  @ApiProperty({ type: PreferencesPatchDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PreferencesPatchDto)
  notifications!: PreferencesPatchDto;
}

export class AccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '120.50', description: 'Exact decimal string' }) balance!: string;
  @ApiProperty({ type: PreferencesDto }) notifications!: PreferencesDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export function toAccountDto(account: Account): AccountDto {
  return {
    id: account.id,
    holderName: account.holderName,
    email: account.email,
    currency: account.currency,
    balance: formatAmount(account.balanceMinor, account.currency),
    notifications: { ...account.notifications },
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}
