import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AwsHealthIndicators } from './aws-health.indicators.js';
import { DatabaseHealthIndicator } from './database-health.indicator.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [AwsHealthIndicators, DatabaseHealthIndicator],
})
export class HealthModule {}
