import table from './prices.json';

export interface EbsPrice {
  readonly gbMonth: number;
  readonly iopsMonth?: number;
  readonly freeIops?: number;
  readonly throughputMbpsMonth?: number;
  readonly freeThroughputMbps?: number;
}

/** On-demand prices of one region, in the table's currency. Hourly unless the name says otherwise. */
export interface RegionPrices {
  readonly ec2: Record<string, number>;
  readonly ebs: Record<string, EbsPrice>;
  readonly rds: Record<string, number>;
  readonly rdsStorage: { gbMonth: number; io1GbMonth: number; iopsMonth: number };
  readonly elasticache: Record<string, number>;
  readonly natGatewayHour: number;
  readonly natGatewayGb: number;
  readonly albHour: number;
  readonly nlbHour: number;
  readonly clbHour: number;
  readonly lcuHour: number;
  readonly nlcuHour: number;
  readonly interfaceEndpointHourPerAz: number;
  readonly interfaceEndpointGb: number;
  readonly publicIpv4Hour: number;
  readonly s3StandardGbMonth: number;
  readonly logsIngestGb: number;
  readonly logsStorageGbMonth: number;
  readonly kmsKeyMonth: number;
  readonly secretMonth: number;
  readonly ssmAdvancedParameterMonth: number;
  readonly eksClusterHour: number;
  readonly route53ZoneMonth: number;
  readonly cloudwatchAlarmMonth: number;
  readonly amplifyBuildMinute: number;
  readonly amplifyServedGb: number;
}

/** Usage the synthesized resources cannot tell; every estimate states them. */
export interface UsageAssumptions {
  readonly rootVolumeGb: number;
  readonly rootVolumeType: string;
  readonly s3GbPerBucket: number;
  readonly logGbPerGroupMonth: number;
  readonly natGbPerGatewayMonth: number;
  readonly lcuPerLoadBalancer: number;
  readonly endpointGbPerEndpointMonth: number;
  readonly amplifyBuildMinutesMonth: number;
  readonly amplifyServedGbMonth: number;
}

export interface PriceTable {
  /** Always "estimate": these are list prices, not a bill. */
  readonly label: string;
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly date: string;
  readonly source: string;
  readonly note: string;
  readonly assumptions: UsageAssumptions;
  readonly regions: Record<string, RegionPrices>;
}

/** The price table shipped in this package (src/cost/prices.json). */
export const PRICE_TABLE: PriceTable = table as PriceTable;

/** A region's prices; regions the table lacks fall back to us-east-1, and say so. */
export function regionPrices(prices: PriceTable, region: string): { prices: RegionPrices; region: string; fallback: boolean } {
  const own = prices.regions[region];
  if (own) return { prices: own, region, fallback: false };
  const fallback = prices.regions['us-east-1'] ?? Object.values(prices.regions)[0];
  if (!fallback) throw new Error('price table: no regions');
  return { prices: fallback, region: prices.regions['us-east-1'] ? 'us-east-1' : Object.keys(prices.regions)[0], fallback: true };
}
