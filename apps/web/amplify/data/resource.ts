import { a, defineData, type ClientSchema } from '@aws-amplify/backend';

/**
 * One model: notes that signed-in users write and own, and that anyone may read through the public
 * API key (so the example page shows data before anyone signs in).
 */
const schema = a.schema({
  Note: a
    .model({
      title: a.string().required(),
      body: a.string(),
    })
    .authorization((allow) => [allow.owner(), allow.publicApiKey().to(['read'])]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({
  schema,
  authorizationModes: {
    defaultAuthorizationMode: 'userPool',
    apiKeyAuthorizationMode: { expiresInDays: 30 },
  },
});
