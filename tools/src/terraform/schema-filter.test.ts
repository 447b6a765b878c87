import { bytesField, mapEntry, varintField } from '../testing/protobuf';
import { filterSchemaResponse, typesUsedBy, type UsedTypes } from './schema-filter';

// A GetProviderSchema answer built by hand in the field order and numbering of tfplugin5/6.
const provider = bytesField(1, 'provider-config-schema');
const bucket = mapEntry(2, 'aws_s3_bucket', 'bucket-schema');
const vpc = mapEntry(2, 'aws_vpc', 'vpc-schema');
const amiData = mapEntry(3, 'aws_ami', 'ami-schema');
const vpcData = mapEntry(3, 'aws_vpc', 'vpc-data-schema');
const diagnostics = bytesField(4, 'a warning');
const meta = bytesField(5, 'provider-meta-schema');
const capabilities = bytesField(6, varintField(1, 1));
const fn = mapEntry(7, 'arn_parse', 'function');
const secret = mapEntry(8, 'aws_secretsmanager_secret_version', 'ephemeral-schema');
const future = mapEntry(9, 'aws_list_thing', 'a field of a later protocol');
const answer = Buffer.concat([provider, bucket, vpc, amiData, vpcData, diagnostics, meta, capabilities, fn, secret, future]);

const used = (resources: string[], dataSources: string[] = [], ephemeralResources: string[] = []): UsedTypes => ({
  resources: new Set(resources),
  dataSources: new Set(dataSources),
  ephemeralResources: new Set(ephemeralResources),
});

describe('filterSchemaResponse', () => {
  it('keeps the used types of each map and every other field byte for byte, in order', () => {
    const out = filterSchemaResponse(answer, used(['aws_s3_bucket'], ['aws_vpc'], ['aws_secretsmanager_secret_version']));
    expect(out).toEqual(Buffer.concat([provider, bucket, vpcData, diagnostics, meta, capabilities, fn, secret, future]));
  });

  it('keys each map on its own: a data source does not keep the resource of the same name', () => {
    const out = filterSchemaResponse(answer, used([], ['aws_vpc']));
    expect(out.includes(Buffer.from('vpc-data-schema'))).toBe(true);
    expect(out.includes(Buffer.from('vpc-schema'))).toBe(false);
    expect(out.includes(Buffer.from('bucket-schema'))).toBe(false);
  });

  it('drops every typed schema when the configuration uses none', () => {
    expect(filterSchemaResponse(answer, used([]))).toEqual(Buffer.concat([provider, diagnostics, meta, capabilities, fn, future]));
  });

  it('reads an entry whose value comes before its key (protobuf does not fix the order)', () => {
    const valueFirst = bytesField(2, Buffer.concat([bytesField(2, 'vpc-first-schema'), bytesField(1, 'aws_vpc')]));
    const message = Buffer.concat([provider, valueFirst, bucket]);
    expect(filterSchemaResponse(message, used(['aws_vpc']))).toEqual(Buffer.concat([provider, valueFirst]));
    expect(filterSchemaResponse(message, used(['aws_s3_bucket']))).toEqual(Buffer.concat([provider, bucket]));
  });

  it('drops a map entry without a key (no type is named "")', () => {
    const keyless = bytesField(2, bytesField(2, 'orphan-schema'));
    expect(filterSchemaResponse(Buffer.concat([provider, keyless]), used([]))).toEqual(provider);
  });

  it.each([
    ['a resource type', used(['aws_s3_bucket', 'aws_s3_buckett'])],
    ['a data source type', used([], ['aws_ami', 'aws_amii'])],
    ['an ephemeral type', used([], [], ['aws_secret'])],
    ['a type present only in another map', used(['aws_ami'])],
  ])('returns the answer whole when the configuration uses %s the provider lacks (Terraform suggests a name from all of them)', (_what, types) => {
    expect(filterSchemaResponse(answer, types)).toBe(answer);
  });

  it('throws on an answer it cannot read, so the proxy passes it on whole', () => {
    expect(() => filterSchemaResponse(answer.subarray(0, answer.length - 3), used(['aws_s3_bucket']))).toThrow(/protobuf/);
  });
});

describe('typesUsedBy', () => {
  it('names the resource, data source and ephemeral types of a root configuration', () => {
    const types = typesUsedBy({ resource: { aws_s3_bucket: {}, aws_vpc: {} }, data: { aws_ami: {} }, ephemeral: { aws_secretsmanager_secret_version: {} } });
    expect(types && [[...types.resources], [...types.dataSources], [...types.ephemeralResources]]).toEqual([
      ['aws_s3_bucket', 'aws_vpc'],
      ['aws_ami'],
      ['aws_secretsmanager_secret_version'],
    ]);
  });

  it('gives empty sets for a configuration without resources', () => {
    const types = typesUsedBy({});
    expect(types && [types.resources.size, types.dataSources.size, types.ephemeralResources.size]).toEqual([0, 0, 0]);
  });

  it('gives undefined (every schema) when the configuration calls modules, whose types it cannot see', () => {
    expect(typesUsedBy({ resource: { aws_vpc: {} }, module: { net: { source: './net' } } })).toBeUndefined();
    expect(typesUsedBy({ resource: { aws_vpc: {} }, module: {} })).toBeDefined();
  });
});
