import { statementIdProblems } from './statement-ids';

const s = (Sid?: string) => ({ ...(Sid === undefined ? {} : { Sid }), Effect: 'Allow' as const, Action: 's3:GetObject', Resource: '*' });

describe('statementIdProblems', () => {
  it('accepts distinct Sids of letters and digits', () => {
    expect(statementIdProblems([s('ReadState'), s('Write2')])).toEqual([]);
  });

  it('names each missing, empty, ill-formed or repeated Sid by its statement', () => {
    expect(statementIdProblems([s(), s(''), s('Read-State'), s('Read'), s('Read')])).toEqual([
      'statement 0: Sid undefined must be ASCII letters and digits',
      'statement 1: Sid "" must be ASCII letters and digits',
      'statement 2: Sid "Read-State" must be ASCII letters and digits',
      'statement 4: Sid "Read" is used by another statement',
    ]);
  });
});
