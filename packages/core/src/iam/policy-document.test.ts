import { policyDocument, policyJson } from './policy-document';

describe('policyDocument', () => {
  it('writes the 2012-10-17 version and the statements as given', () => {
    expect(JSON.parse(policyJson([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::1:role/x' }]))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::1:role/x' }],
    });
  });

  it('refuses a policy without statements or with an empty resource list', () => {
    expect(() => policyDocument([])).toThrow('a policy needs at least one statement');
    expect(() => policyDocument([{ Sid: 'Spokes', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [] }])).toThrow('statement Spokes has an empty Resource list');
    // An empty NotResource would make a Deny cover everything.
    expect(() => policyDocument([{ Sid: 'OnlyTheirs', Effect: 'Deny', Action: ['sts:AssumeRole'], NotResource: [] }])).toThrow('statement OnlyTheirs has an empty NotResource list');
  });
});
