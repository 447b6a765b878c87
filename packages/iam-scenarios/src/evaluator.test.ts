import { evaluate, principalKeys } from './evaluator';
import { tokenContext } from './gitlab-token';

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/gitlab.example.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'gitlab.example.com:aud': 'https://gitlab.example.com' } },
    },
  ],
};
const signIn = (aud: string) => ({
  principal: 'arn:aws:iam::111111111111:oidc-provider/gitlab.example.com',
  action: 'sts:AssumeRoleWithWebIdentity',
  resource: 'arn:aws:iam::111111111111:role/r',
  resourceAccount: '111111111111',
  context: { 'gitlab.example.com:aud': aud },
  resourcePolicy: trust,
});

describe('evaluate', () => {
  it('evaluates keys the validated entry point drops with the full context (a self-managed issuer\'s aud)', async () => {
    expect(await evaluate(signIn('https://gitlab.example.com'))).toEqual({ status: 'evaluated', decision: 'Allowed', engine: 'full-context', ignoredKeys: ['gitlab.example.com:aud'] });
    expect(await evaluate(signIn('https://other.example.com'))).toMatchObject({ status: 'evaluated', decision: 'ImplicitlyDenied' });
  });

  it('reports problems and engine rejections as not evaluated, never as a decision', async () => {
    expect(await evaluate({ ...signIn('x'), problems: ['unresolvable ${aws_foo.bar.arn}'] })).toEqual({ status: 'not evaluated', reason: 'unresolvable ${aws_foo.bar.arn}' });
    expect(await evaluate({ ...signIn('x'), action: 'sts:NoSuchAction' })).toMatchObject({ status: 'not evaluated' });
    expect(await evaluate({ ...signIn('x'), resource: 'arn:aws:iam::111111111111:role/*' })).toMatchObject({ status: 'not evaluated' });
  });

  it('sets aws:PrincipalArn and aws:PrincipalAccount as AWS does for sessions, roles and users', () => {
    expect(principalKeys('arn:aws:sts::111111111111:assumed-role/r/s')).toEqual({ 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/r', 'aws:PrincipalAccount': '111111111111' });
    expect(principalKeys('arn:aws:iam::222222222222:user/u')).toEqual({ 'aws:PrincipalArn': 'arn:aws:iam::222222222222:user/u', 'aws:PrincipalAccount': '222222222222' });
    expect(principalKeys('arn:aws:iam::111111111111:oidc-provider/gitlab.com')).toEqual({});
  });
});

describe('tokenContext', () => {
  const job = { aud: 'https://gitlab.com', projectPath: 'g/p', projectId: '7', refType: 'branch' as const, ref: 'main', refProtected: true, pipelineSource: 'push', environment: 'prod', environmentProtected: true };

  it('passes gitlab.com claims AWS honours and withholds the rest', async () => {
    const { context, unseen } = await tokenContext({ ...job, host: 'gitlab.com' });
    expect(context).toEqual({
      'gitlab.com:aud': 'https://gitlab.com',
      'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main',
      'gitlab.com:project_id': '7',
      'gitlab.com:ref_protected': 'true',
      'gitlab.com:pipeline_source': 'push',
    });
    expect(unseen.sort()).toEqual(['environment', 'environment_protected', 'project_path', 'ref', 'ref_type']);
  });

  it('gives a self-managed issuer aud and sub only', async () => {
    const { context } = await tokenContext({ ...job, host: 'gitlab.example.com' });
    expect(Object.keys(context).sort()).toEqual(['gitlab.example.com:aud', 'gitlab.example.com:sub']);
  });
});
