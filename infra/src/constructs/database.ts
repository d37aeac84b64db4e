import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { ResourceNames } from '#libs/aws';
import type { Stage } from '../settings.js';
import type { Network } from './network.js';

/** The schema the projects lib's migrations create their tables in. */
export const DATABASE_NAME = 'codecraft';
const DATABASE_USER = 'codecraft';

/**
 * MySQL 8.4 (LTS) on one RDS db.t4g.micro instance, in the isolated subnets.
 *
 * Why an instance and not Aurora MySQL Serverless v2: the load is one small table (projects) and
 * an outbox, so the smallest instance is plenty and costs a fixed ~12 USD a month (free-tier
 * eligible) with no surprise. Serverless v2 costs at least 0.5 ACU (~45 USD a month) unless it
 * scales to 0 ACU, and then its first connection after a pause waits ~15 s for the resume: longer
 * than the apps' 5 s connect timeout and most of API Gateway's 30 s. prod runs it Multi-AZ.
 *
 * The credentials are a generated Secrets Manager secret in RDS's JSON shape (username, password,
 * host, port, dbname), which is what DB_SECRET_ID points the apps at (libs/database reads host,
 * port, user, password and database from it). `Credentials.fromGeneratedSecret` would leave
 * `dbname` out, so the secret is made here with it, then handed to the instance.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: rds.DatabaseSecret;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(
    scope: Construct,
    id: string,
    props: { network: Network; names: ResourceNames; stage: Stage },
  ) {
    super(scope, id);
    const prod = props.stage === 'prod';
    this.secret = new rds.DatabaseSecret(this, 'Credentials', {
      secretName: props.names.secret('database'),
      username: DATABASE_USER,
      dbname: DATABASE_NAME,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: 'CodeCraft MySQL: from the functions only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      props.network.functionsSecurityGroup,
      ec2.Port.tcp(3306),
      'MySQL from the functions',
    );
    props.network.functionsSecurityGroup.addEgressRule(
      this.securityGroup,
      ec2.Port.tcp(3306),
      'MySQL to the database',
    );
    // Named, so that its log groups can be made here with a retention (instead of by RDS,
    // without one, or by CDK's log-retention function).
    const instanceIdentifier = `${props.names.prefix}-mysql`;
    const exportedLogs = ['error', 'slowquery'];
    const logGroups = exportedLogs.map(
      (log) =>
        new logs.LogGroup(this, `${log}-log`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${log}`,
          retention: logs.RetentionDays.ONE_MONTH,
          removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
    );
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier,
      engine: rds.DatabaseInstanceEngine.mysql({
        // The newest 8.4 minor CloudFormation's schema knows; RDS upgrades minors in maintenance.
        version: rds.MysqlEngineVersion.of('8.4.11', '8.4'),
      }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: props.network.vpc,
      vpcSubnets: props.network.subnets,
      securityGroups: [this.securityGroup],
      credentials: rds.Credentials.fromSecret(this.secret),
      databaseName: DATABASE_NAME,
      multiAz: prod,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      backupRetention: Duration.days(prod ? 14 : 1),
      copyTagsToSnapshot: true,
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      cloudwatchLogsExports: exportedLogs,
      monitoringInterval: Duration.minutes(1),
    });
    for (const group of logGroups) this.instance.node.addDependency(group);
  }
}
