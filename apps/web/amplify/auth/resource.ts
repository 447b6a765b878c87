import { defineAuth } from '@aws-amplify/backend';

/** Sign-in with email and password (Cognito user pool); verification codes go to the address. */
export const auth = defineAuth({
  loginWith: { email: true },
});
