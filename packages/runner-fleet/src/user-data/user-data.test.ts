import { spawnSync } from 'node:child_process';
import { parse } from 'smol-toml';
import { TOKEN_PLACEHOLDER } from '../config-toml';
import { type Json, allStrings, decodeUserData, resourceWhere, resources, synthRunnerStacks } from '../__fixtures__/runner-stacks';
import { sh, writeFile } from './shell';

let aws: Json;
let tokens: Json;
beforeAll(() => {
  ({ aws, tokens } = synthRunnerStacks());
});

const userData = (templateName: string) => decodeUserData(resourceWhere(aws, 'aws_launch_template', 'name', templateName));

/** The body of the file a user-data script writes to `path` with a quoted heredoc. */
function heredoc(script: string, path: string): string {
  const m = new RegExp(`cat > '${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1\\n`).exec(script);
  if (!m) throw new Error(`no heredoc for ${path}`);
  return m[2];
}

function bashSyntax(script: string): string {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? 'ok' : r.stderr;
}

describe('user data', () => {
  const scripts = () => ({
    manager: userData('devops-runners-mr-manager'),
    worker: userData('devops-runners-mr-workers'),
    instance: userData('devops-runners-deploy-runners'),
  });

  it('is valid bash, and so are the scripts it installs', () => {
    for (const [role, script] of Object.entries(scripts())) {
      expect([role, bashSyntax(script)]).toEqual([role, 'ok']);
      if (role === 'worker') continue;
      for (const path of ['/usr/local/sbin/runner-config', '/usr/local/sbin/runner-drain']) {
        expect([role, path, bashSyntax(heredoc(script, path))]).toEqual([role, path, 'ok']);
      }
    }
  });

  it('carries a config.toml that parses, with the token as a placeholder', () => {
    const config = parse(heredoc(scripts().manager, '/etc/gitlab-runner/config.template.toml')) as Json;
    expect(config.concurrent).toBe(24);
    expect(config.runners[0].token).toBe(TOKEN_PLACEHOLDER);
    expect(config.runners[0].url).toBe('https://gitlab.example.com');
    const instance = parse(heredoc(scripts().instance, '/etc/gitlab-runner/config.template.toml')) as Json;
    expect(instance.runners[0]).toMatchObject({ executor: 'docker', token: TOKEN_PLACEHOLDER });
  });

  it('ships a CloudWatch agent config that reports memory per group and the runner log', () => {
    const agent = JSON.parse(heredoc(scripts().instance, '/opt/aws/amazon-cloudwatch-agent/etc/runner-fleet.json'));
    expect(agent.metrics.metrics_collected.mem.measurement).toEqual(['mem_used_percent']);
    expect(agent.metrics.aggregation_dimensions).toEqual([['AutoScalingGroupName']]);
    expect(agent.logs.logs_collected.files.collect_list.map((f: Json) => f.log_group_name)).toEqual(['/gitlab-runner/devops/deploy', '/gitlab-runner/devops/deploy']);
  });

  it('reads the token from its own parameter and drains from its own group', () => {
    const tokenScript = heredoc(scripts().instance, '/usr/local/sbin/runner-config');
    expect(tokenScript).toContain("PARAMETER='/gitlab-aws/devops/runners/deploy/token'");
    expect(tokenScript).toContain('--with-decryption');
    const drain = heredoc(scripts().instance, '/usr/local/sbin/runner-drain');
    expect(drain).toContain("GROUP='devops-runners-deploy-runners'");
    expect(drain).toContain('DRAIN_SECONDS=6000');
    expect(drain).toContain('complete-lifecycle-action');
    const unit = heredoc(scripts().instance, '/etc/systemd/system/gitlab-runner.service.d/10-fleet.conf');
    expect(unit).toContain('KillSignal=SIGQUIT');
    expect(unit).toContain('TimeoutStopSec=6000');
  });

  it('keeps job containers of instance-mode runners away from the instance role', () => {
    expect(scripts().instance).toContain('-i docker+ -d 169.254.169.254/32 -j REJECT');
    expect(scripts().manager).not.toContain('dnf install -y amazon-cloudwatch-agent docker');
  });
});

describe('the token never leaks', () => {
  const TOKEN_LIKE = /glrt-[A-Za-z0-9_-]{8,}/;

  it('appears nowhere in the AWS stack, user data included, and the AWS stack never refers to the runner resource', () => {
    const strings = [...allStrings(aws), ...resources(aws, 'aws_launch_template').map(decodeUserData)];
    expect(strings.filter((s) => TOKEN_LIKE.test(s))).toEqual([]);
    expect(strings.filter((s) => s.includes('gitlab_user_runner') || s.includes('.token}'))).toEqual([]);
    expect(aws.output).toBeUndefined();
    expect(aws.data?.terraform_remote_state).toBeUndefined();
  });

  it('flows in the token stack only from the runner into a SecureString under the token key, never to an output', () => {
    const params = resources(tokens, 'aws_ssm_parameter');
    expect(params.map((p) => [p.name, p.type, p.key_id])).toEqual([
      ['/gitlab-aws/devops/runners/deploy/token', 'SecureString', 'alias/devops-runner-tokens'],
      ['/gitlab-aws/devops/runners/mr/token', 'SecureString', 'alias/devops-runner-tokens'],
    ]);
    expect(params.map((p) => p.value)).toEqual(['${gitlab_user_runner.deploy-runner.token}', '${gitlab_user_runner.mr-runner.token}']);
    expect(tokens.output).toBeUndefined();
    const elsewhere = allStrings({ ...tokens, resource: { ...tokens.resource, aws_ssm_parameter: undefined } }).filter((s) => s.includes('.token}'));
    expect(elsewhere).toEqual([]);
  });

  it('registers each fleet as its own runner with its tags, scope and timeout', () => {
    const runners = resources(tokens, 'gitlab_user_runner');
    expect(runners.map((r) => [r.description, r.tag_list, r.access_level, r.maximum_timeout, r.runner_type, r.untagged])).toEqual([
      ['devops deploy fleet', ['deploy'], 'ref_protected', 5400, 'instance_type', false],
      ['devops mr fleet', ['docker'], 'not_protected', 3600, 'instance_type', false],
    ]);
    expect(runners[0].lifecycle).toEqual({ create_before_destroy: true });
    expect(tokens.provider.gitlab[0].base_url).toBe('https://gitlab.example.com/api/v4/');
    expect(tokens.provider.gitlab[0].token).toBeUndefined();
  });
});

describe('shell helpers', () => {
  it('quote anything safely and write files verbatim', () => {
    const script = `${writeFile('/tmp/x', 'a $HOME `id` \'q\'\nEND_OF_FILE\n')}\necho ${sh("it's")}`;
    expect(bashSyntax(script)).toBe('ok');
    expect(script).toContain("<<'END_OF_FILE_'");
    expect(sh("it's")).toBe(`'it'\\''s'`);
  });
});
