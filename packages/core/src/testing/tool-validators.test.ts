import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudConfigProblems } from './cloud-config';
import { rubyString, rubySyntaxErrors, runRubyScript } from './ruby';

describe('Ruby (ruby.wasm) as `ruby -c`', () => {
  it('accepts valid Ruby and names each file that does not parse, with the parser message', () => {
    const errors = rubySyntaxErrors({
      'good.rb': "gitlab_rails['db_host'] = '10.0.0.1'\nroles(['application_role'])\n",
      'unterminated.rb': "gitlab_rails['db_host'] = 'unterminated\n",
      'dangling.rb': 'x = 1; y = \n',
    });
    expect(Object.keys(errors).sort()).toEqual(['dangling.rb', 'unterminated.rb']);
    expect(errors['dangling.rb']).toMatch(/expected an expression after `=`/);
  }, 60_000);

  it('runs a script with arguments like `ruby script.rb file`, returning what it prints and its exit status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruby-wasm-'));
    writeFileSync(join(dir, 'input.txt'), "it's \\ here\n");
    writeFileSync(join(dir, 'echo.rb'), "require 'json'\nputs JSON.generate(ARGV.map { |f| File.read(f) })\n$stderr.puts 'note'\nexit 3 if ARGV.size > 1\n");
    const one = runRubyScript(join(dir, 'echo.rb'), [join(dir, 'input.txt')]);
    expect(one).toEqual({ status: 0, stdout: `${JSON.stringify(["it's \\ here\n"])}\n`, stderr: 'note\n' });
    expect(runRubyScript(join(dir, 'echo.rb'), [join(dir, 'input.txt'), join(dir, 'input.txt')]).status).toBe(3);
    writeFileSync(join(dir, 'raise.rb'), "raise ArgumentError, 'bad input'\n");
    const failed = runRubyScript(join(dir, 'raise.rb'));
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('ArgumentError: bad input');
  }, 60_000);

  it('quotes any text as a Ruby literal', () => {
    expect(rubyString("a'b\\c#{x}")).toBe("'a\\'b\\\\c#{x}'");
  });
});

describe("cloud-init's schema as `cloud-init schema`", () => {
  const valid = '#cloud-config\nwrite_files:\n  - path: /etc/x\n    content: hi\n    permissions: "0600"\nruncmd:\n  - [/usr/local/bin/boot]\n';

  it('accepts a valid document', () => {
    expect(cloudConfigProblems(valid)).toEqual([]);
  });

  it('rejects a wrong type, an unknown top-level key, a missing header and bad YAML, saying where', () => {
    expect(cloudConfigProblems(valid.replace('runcmd:\n  - [/usr/local/bin/boot]', 'runcmd: 5'))).toEqual(['runcmd: must be array']);
    expect(cloudConfigProblems(`${valid}write_filez: []\n`)).toEqual(['(top level): must NOT have additional properties (write_filez)']);
    expect(cloudConfigProblems(valid.replace('#cloud-config\n', ''))).toEqual(['header: the first line must be "#cloud-config"']);
    expect(cloudConfigProblems('#cloud-config\nruncmd: [\n')[0]).toMatch(/^yaml: /);
    expect(cloudConfigProblems('#cloud-config\n- a\n')).toEqual(['(top level): a cloud-config document is a mapping']);
  });

  it('checks nested items against their definitions (write_files needs a path)', () => {
    expect(cloudConfigProblems('#cloud-config\nwrite_files:\n  - content: hi\n')).toContain("write_files.0: must have required property 'path'");
  });
});
