import { readFields } from './protobuf-wire';

/** The resource, data source and ephemeral resource types one configuration uses. */
export interface UsedTypes {
  readonly resources: ReadonlySet<string>;
  readonly dataSources: ReadonlySet<string>;
  readonly ephemeralResources: ReadonlySet<string>;
}

/**
 * Field numbers of the type-keyed maps in GetProviderSchema.Response, the same in protocol 5 and 6
 * (tfplugin5.proto / tfplugin6.proto): resource_schemas, data_source_schemas,
 * ephemeral_resource_schemas. Every other field (provider, provider_meta, diagnostics, server
 * capabilities, functions, fields a later protocol adds) is copied as it is.
 */
const TYPE_MAPS: Record<number, keyof UsedTypes> = { 2: 'resources', 3: 'dataSources', 8: 'ephemeralResources' };

/** The key of a map<string, Schema> entry (field 1 of the entry message). */
function entryKey(entry: Buffer): string | undefined {
  return readFields(entry)
    .find((f) => f.field === 1)
    ?.payload?.toString('utf8');
}

/**
 * A GetProviderSchema response cut down to the types `used` names, byte for byte otherwise.
 * Terraform decodes every schema a provider returns on every command (about 1.5 s of CPU for the
 * AWS provider's 1,500-odd types); a configuration is validated and planned only against the
 * schemas of the types it uses, so leaving out the others changes no result. When the
 * configuration uses a type the provider lacks, the response is returned whole: Terraform then
 * reports the type with the "did you mean" suggestion it draws from every type name.
 */
export function filterSchemaResponse(message: Buffer, used: UsedTypes): Buffer {
  const kept: Buffer[] = [];
  const found = { resources: 0, dataSources: 0, ephemeralResources: 0 };
  for (const f of readFields(message)) {
    const set = TYPE_MAPS[f.field];
    if (set && f.payload) {
      const key = entryKey(f.payload);
      if (key === undefined || !used[set].has(key)) continue;
      found[set]++;
    }
    kept.push(message.subarray(f.start, f.end));
  }
  const complete = (Object.keys(found) as (keyof UsedTypes)[]).every((set) => found[set] === used[set].size);
  return complete ? Buffer.concat(kept) : message;
}

/** The parts of a Terraform JSON configuration that name types. */
export interface TypedConfig {
  readonly resource?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
  readonly ephemeral?: Record<string, unknown>;
  readonly module?: Record<string, unknown>;
}

/**
 * The types a root configuration in JSON uses, or undefined when that cannot be told from the root
 * alone: a configuration that calls modules may use any type inside them, so it gets every schema.
 */
export function typesUsedBy(config: TypedConfig): UsedTypes | undefined {
  if (config.module && Object.keys(config.module).length) return undefined;
  return {
    resources: new Set(Object.keys(config.resource ?? {})),
    dataSources: new Set(Object.keys(config.data ?? {})),
    ephemeralResources: new Set(Object.keys(config.ephemeral ?? {})),
  };
}
