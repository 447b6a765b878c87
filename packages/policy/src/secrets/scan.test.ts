import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanFolder, scanText } from './scan';

// Built at run time so this file itself holds no secret-shaped literal.
const token = ['glrt', 't1_AbCdEfGhIjKlMnOpQrStUv'].join('-');
const accessKey = ['AKIA', 'QWERTYUIOPASDFGH'].join('');
const privateKey = ['-----BEGIN RSA', 'PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----'].join(' ');

const stack = (resource: object) => JSON.stringify({ resource });

describe('secret scan', () => {
  it('finds a runner token, naming where and never repeating it', () => {
    const hits = scanText('stacks/a/cdk.tf.json', stack({ aws_instance: { a: { user_data: `#!/bin/sh\ngitlab-runner register --token ${token}\n` } } }));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ file: 'stacks/a/cdk.tf.json', where: 'resource.aws_instance.a.user_data', kind: 'GitLab runner authentication token (glrt-)' });
    expect(hits[0].redacted).toBe(`glrt-… (${token.length} chars)`);
    expect(JSON.stringify(hits)).not.toContain(token.slice(5));
  });

  it('finds AWS access keys and private keys anywhere', () => {
    expect(scanText('x.json', stack({ aws: { provider: { access_key: accessKey } } })).map((h) => h.kind)).toEqual(['AWS access key ID']);
    expect(scanText('assets/key.pem', `config\n${privateKey}\n`)).toEqual([{ file: 'assets/key.pem', where: 'line 2', kind: 'private key', redacted: '-----BEGIN RSA PRIVATE KEY-----' }]);
  });

  it('finds password-like literals by key, in scripts, and in base64 user data', () => {
    const db = scanText('s.json', stack({ aws_db_instance: { db: { password: 'correct-horse-battery' } } }));
    expect(db.map((h) => [h.where, h.kind])).toEqual([['resource.aws_db_instance.db.password', 'literal value for "password"']]);
    const script = scanText('s.json', stack({ aws_instance: { a: { user_data: 'export DB_PASSWORD=\nexport password=SuperSecret123\n' } } }));
    expect(script.map((h) => h.kind)).toEqual(['password-like assignment (password=...)']);
    const encoded = Buffer.from('#!/bin/sh\ntoken: abcdefgh12345678\n').toString('base64');
    expect(scanText('s.json', stack({ aws_launch_template: { lt: { user_data_base64: encoded } } })).map((h) => h.where)).toEqual(['resource.aws_launch_template.lt.user_data_base64 (decoded)']);
  });

  it('lets references, lookups at run time and ordinary settings through', () => {
    const clean = stack({
      aws_db_instance: { db: { password: '${random_password.db.result}', manage_master_user_password: true } },
      aws_instance: { a: { user_data: 'TOKEN=$(aws ssm get-parameter --with-decryption --name /runner/token)\n', metadata_options: { http_tokens: 'required' } } },
      aws_iam_account_password_policy: { p: { minimum_password_length: 14, require_symbols: true } },
      aws_iam_role_policy: { p: { policy: '{"Resource":["arn:aws:secretsmanager:eu-west-1:123456789012:secret:gitlab/prod/gitlab-secrets-json-??????"]}' } },
      aws_ssm_parameter: { t: { name: '/gitlab/runner/token', type: 'SecureString', description: 'the runner token, written by the gitlab stack' } },
    });
    expect(scanText('s.json', clean)).toEqual([]);
  });

  it('lets Helm values name Kubernetes Secrets, and still finds a secret value under "secret:"', () => {
    const values = 'global:\n  psql:\n    password:\n      secret: gitlab-postgres-password\n      key: password\n  shell:\n    authToken:\n      secret: gitlab-shell-token\n';
    expect(scanText('gitlab-values.yaml', values)).toEqual([]);
    // The same values inside a stack (helm_release.values): a nested block is not an assignment.
    expect(scanText('s.json', stack({ helm_release: { gitlab: { values: [values] } } }))).toEqual([]);
    const hex = ['3f9a0c7e', '5b21d4aa'].join('');
    for (const leaked of [`secret: ${hex}`, 'secret: S3cr3t-Value-1', 'secret: a1b2c3d4-0000-4000-8000-123456789abc', 'token: gitlab-shell-token']) {
      expect(scanText('gitlab-values.yaml', `${leaked}\n`).map((h) => h.where)).toEqual(['line 1']);
    }
  });

  it('scans every file below a synth output, skipping Terraform working folders and given paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    mkdirSync(join(dir, 'stacks', 'a', '.terraform'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'a', 'cdk.tf.json'), stack({ aws_instance: { a: { instance_type: 't3.micro' } } }));
    writeFileSync(join(dir, 'stacks', 'a', 'runner.toml'), `token = "${token}"\n`);
    writeFileSync(join(dir, 'stacks', 'a', '.terraform', 'cache.json'), JSON.stringify({ key: accessKey }));
    writeFileSync(join(dir, 'guardrails.json'), JSON.stringify({ key: accessKey }));
    const hits = scanFolder(dir, (rel) => rel === 'guardrails.json');
    expect(hits.map((h) => [h.file, h.where])).toEqual([['stacks/a/runner.toml', 'line 1']]);
  });
});
