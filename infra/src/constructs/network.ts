import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The AWS APIs the functions call from inside the VPC, each through an interface endpoint (S3 and
 * DynamoDB through free gateway endpoints). Not listed, because nothing in the VPC calls them:
 * CloudWatch Logs (Lambda ships the functions' output itself, EMF metrics included), CloudWatch
 * (its API is used by the emulator bootstrap only), STS (Lambda hands the role's credentials in).
 */
export const INTERFACE_ENDPOINTS = {
  sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  eventbridge: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  /** SES's API (SendEmail), not SMTP. */
  ses: ec2.InterfaceVpcEndpointAwsService.EMAIL,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  /** The apps verify Cognito tokens and look users up (ListUsers). */
  cognito: ec2.InterfaceVpcEndpointAwsService.COGNITO_IDP,
} as const;

/**
 * A VPC of isolated subnets in two availability zones: no internet gateway, no NAT gateway. The
 * functions and the database live there; the functions reach AWS through VPC endpoints only.
 * Flow logs record rejected traffic (what a missing endpoint or security-group rule looks like).
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  /** The functions' security group: out to the endpoints and the database, nothing in. */
  readonly functionsSecurityGroup: ec2.SecurityGroup;
  readonly endpoints: Construct[] = [];

  constructor(scope: Construct, id: string, props: { retain: boolean }) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      restrictDefaultSecurityGroup: true,
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('RejectedTraffic', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });

    this.endpoints.push(
      this.vpc.addGatewayEndpoint('S3', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [this.subnets],
      }),
      this.vpc.addGatewayEndpoint('DynamoDB', {
        service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [this.subnets],
      }),
    );
    this.functionsSecurityGroup = new ec2.SecurityGroup(this, 'Functions', {
      vpc: this.vpc,
      description: 'CodeCraft functions: HTTPS to the VPC endpoints, MySQL to the database',
      allowAllOutbound: false,
    });
    // HTTPS anywhere reaches only AWS: these subnets route to nothing but the VPC itself and the
    // two gateway endpoints (whose per-region prefix lists are unknown to an env-agnostic stack).
    this.functionsSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints (nothing else is routable)',
    );
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      const endpointSecurityGroup = new ec2.SecurityGroup(this, `${name}-endpoint`, {
        vpc: this.vpc,
        description: `The ${name} interface endpoint: HTTPS from the functions only`,
        allowAllOutbound: false,
      });
      endpointSecurityGroup.addIngressRule(
        this.functionsSecurityGroup,
        ec2.Port.tcp(443),
        'HTTPS from the functions',
      );
      this.endpoints.push(
        this.vpc.addInterfaceEndpoint(name, {
          service,
          subnets: this.subnets,
          privateDnsEnabled: true,
          securityGroups: [endpointSecurityGroup],
          open: false,
        }),
      );
    }
  }
}
