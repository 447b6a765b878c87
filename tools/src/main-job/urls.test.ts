import { renderUrls, urlOutputs } from './urls';

describe('URLs after deploy', () => {
  const stacks = [
    { name: 'dev-baseline', json: { output: {} } },
    {
      name: 'dev-amplify',
      json: {
        output: {
          app_id: { value: '${aws_amplify_app.app.id}' },
          develop_url: { value: 'https://develop.${aws_amplify_app.app.default_domain}', description: 'develop (DEVELOPMENT)' },
        },
      },
    },
    { name: 'prod-amplify', json: { output: { main_url: { value: 'https://shop.example.com', description: 'main (PRODUCTION)' } } } },
  ];

  it('picks the outputs that are web addresses and shows what deploy fills in', () => {
    expect(urlOutputs(stacks)).toEqual([
      { stack: 'dev-amplify', output: 'develop_url', url: 'https://develop.<default_domain>', description: 'develop (DEVELOPMENT)' },
      { stack: 'prod-amplify', output: 'main_url', url: 'https://shop.example.com', description: 'main (PRODUCTION)' },
    ]);
  });

  it('renders one line per address, and nothing when there is none', () => {
    expect(renderUrls(urlOutputs(stacks)).split('\n')).toEqual([
      'URLs after deploy (<...> is known once deployed; `cdktf output` prints the values):',
      '  dev-amplify   https://develop.<default_domain>  develop (DEVELOPMENT)',
      '  prod-amplify  https://shop.example.com  main (PRODUCTION)',
    ]);
    expect(renderUrls(urlOutputs([stacks[0]]))).toBe('');
  });
});
