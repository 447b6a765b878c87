import { messagesOf, ref, type Values } from '../__fixtures__/findings';

const encryptedRoot = { root_block_device: { encrypted: true } };

describe('GLA-EC2-001/002: IMDSv2', () => {
  it('accepts only http_tokens "required", and says what it found instead', () => {
    expect(messagesOf('GLA-EC2-001', { 'aws_instance.a': { metadata_options: { http_tokens: 'required' } } })).toEqual([]);
    expect(messagesOf('GLA-EC2-001', { 'aws_instance.a': {} })).toEqual(['aws_instance aws_instance.a allows IMDSv1 (metadata_options.http_tokens is not set)']);
    expect(messagesOf('GLA-EC2-001', { 'aws_instance.a': { metadata_options: [{ http_tokens: 'optional' }] } })).toEqual([
      'aws_instance aws_instance.a allows IMDSv1 (metadata_options.http_tokens is "optional")',
    ]);
    expect(messagesOf('GLA-EC2-002', { 'aws_launch_template.lt': { metadata_options: { http_endpoint: 'enabled' } } })).toEqual([
      'aws_launch_template aws_launch_template.lt allows IMDSv1 (metadata_options.http_tokens is not set)',
    ]);
  });

  it('judges instances and launch templates each by their own rule', () => {
    const both = { 'aws_instance.a': {}, 'aws_launch_template.lt': {} };
    expect(messagesOf('GLA-EC2-001', both)).toHaveLength(1);
    expect(messagesOf('GLA-EC2-002', both)).toEqual(['aws_launch_template aws_launch_template.lt allows IMDSv1 (metadata_options.http_tokens is not set)']);
  });
});

describe('GLA-EC2-003: instance volumes', () => {
  it('flags a root volume that is missing or not encrypted', () => {
    const root = 'aws_instance aws_instance.a: the root volume is not encrypted (root_block_device.encrypted is not true)';
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': {} })).toEqual([root]);
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': { root_block_device: { encrypted: false } } })).toEqual([root]);
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': { root_block_device: { encrypted: 'false' } } })).toEqual([root]);
  });

  it('accepts an encrypted root volume with no or only encrypted data volumes', () => {
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': encryptedRoot })).toEqual([]);
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': { root_block_device: [{ encrypted: 'true' }], ebs_block_device: [{ encrypted: true }] } })).toEqual([]);
  });

  it('counts and names the unencrypted data volumes', () => {
    const instance = { ...encryptedRoot, ebs_block_device: [{ device_name: '/dev/sdf', encrypted: true }, { device_name: '/dev/sdg' }, { encrypted: false }] };
    expect(messagesOf('GLA-EC2-003', { 'aws_instance.a': instance })).toEqual(['aws_instance aws_instance.a: 2 EBS block device(s) not encrypted (/dev/sdg, ?)']);
  });
});

describe('GLA-EC2-004: launch template volumes', () => {
  it('names every mapped volume that is not encrypted, skipping suppressed devices', () => {
    const lt = {
      block_device_mappings: [
        { device_name: '/dev/xvda', ebs: { encrypted: true } },
        { device_name: '/dev/xvdb', ebs: { encrypted: false } },
        { device_name: '/dev/xvdc', no_device: 'true' },
        { ebs: { volume_size: 10 } },
      ],
    };
    expect(messagesOf('GLA-EC2-004', { 'aws_launch_template.lt': lt })).toEqual([
      'aws_launch_template aws_launch_template.lt: volume(s) /dev/xvdb, ? not encrypted (ebs.encrypted is not true)',
    ]);
  });

  it('takes a missing ebs block as unencrypted', () => {
    expect(messagesOf('GLA-EC2-004', { 'aws_launch_template.lt': { block_device_mappings: [{ device_name: '/dev/xvda' }] } })).toHaveLength(1);
  });

  it('accepts a template without mappings only when every user is an instance with its own encrypted root', () => {
    const lt = { 'aws_launch_template.lt': {} };
    const user = (root: Values) => ({ launch_template: { id: ref('aws_launch_template.lt') }, ...root });
    const none = 'aws_launch_template aws_launch_template.lt declares no block_device_mappings: its volumes take the AMI\'s settings, which may be unencrypted';
    expect(messagesOf('GLA-EC2-004', { ...lt, 'aws_instance.a': user(encryptedRoot), 'aws_instance.b': user(encryptedRoot) })).toEqual([]);
    expect(messagesOf('GLA-EC2-004', { ...lt, 'aws_instance.a': user(encryptedRoot), 'aws_instance.b': user({}) })).toEqual([none]);
    // An instance that does not use the template does not count as a user.
    expect(messagesOf('GLA-EC2-004', { ...lt, 'aws_instance.other': encryptedRoot })).toEqual([none]);
  });
});

describe('GLA-EBS-001 and GLA-VPC-001', () => {
  it('accepts encrypted = "true" and flags a volume without encryption', () => {
    expect(messagesOf('GLA-EBS-001', { 'aws_ebs_volume.v': { encrypted: 'true' } })).toEqual([]);
    expect(messagesOf('GLA-EBS-001', { 'aws_ebs_volume.v': { encrypted: 'false' } })).toEqual(['aws_ebs_volume aws_ebs_volume.v is not encrypted']);
  });

  it('flags only subnets that map public IPs on launch', () => {
    expect(messagesOf('GLA-VPC-001', { 'aws_subnet.s': {} })).toEqual([]);
    expect(messagesOf('GLA-VPC-001', { 'aws_subnet.s': { map_public_ip_on_launch: 'true' } })).toEqual(['aws_subnet aws_subnet.s assigns a public IP to every instance launched in it']);
  });
});

describe('GLA-EC2-005: public IP addresses', () => {
  it('flags an instance or a template that asks for a public IP', () => {
    expect(messagesOf('GLA-EC2-005', { 'aws_instance.a': { associate_public_ip_address: true } })).toEqual(['aws_instance aws_instance.a gives the node a public IP address']);
    expect(messagesOf('GLA-EC2-005', { 'aws_launch_template.lt': { associate_public_ip_address: 'true' } })).toEqual([
      'aws_launch_template aws_launch_template.lt gives the node a public IP address',
    ]);
  });

  it('flags a template when any of its network interfaces asks for one', () => {
    const lt = { network_interfaces: [{ device_index: 0, associate_public_ip_address: false }, { device_index: 1, associate_public_ip_address: true }] };
    expect(messagesOf('GLA-EC2-005', { 'aws_launch_template.lt': lt })).toEqual(['aws_launch_template aws_launch_template.lt: a network interface gives the node a public IP address']);
  });

  it('stays quiet without a public address anywhere', () => {
    expect(messagesOf('GLA-EC2-005', { 'aws_instance.a': {}, 'aws_launch_template.lt': { network_interfaces: [{ device_index: 0 }] } })).toEqual([]);
  });
});
