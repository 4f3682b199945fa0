import { mayContainSecrets, REDACTED, redactSecrets } from './redact-secrets';

describe('redactSecrets and its quick check', () => {
  const secrets = ['EAAG-user-token-123', 'shh'];
  const carrying = [
    'https://graph.example/v25.0/me?access_token=EAAGabc&fields=id',
    'GET /x?appsecret_proof=deadbeef',
    '{"client_secret":"s3cr3t-value"}',
    'fb_exchange_token=EAAGlong',
    'debug_token?input_token=EAAGin',
    '{"Authorization":"Bearer EAAG12345678"}',
    'authorization: Basic dXNlcjpwYXNz',
    'sent bearer abcdefgh12345',
    '{"text":"the token is EAAG-user-token-123"}',
  ];
  const clean = [
    '{"recipientIds":["100"],"text":"New lead Ada <ada@example.com>"}',
    '{"message":"Stand-up moved to 10:00.","groupId":"1234"}',
    '{"flag":"shh"}', // shorter than 6 characters: never redacted, so not a reason to redact
    '',
  ];

  it.each(carrying)('flags and redacts %s', (text) => {
    expect(mayContainSecrets(text, secrets)).toBe(true);
    const redacted = redactSecrets(text, secrets);
    expect(redacted).toContain(REDACTED);
    expect(redacted).not.toMatch(/EAAG|deadbeef|s3cr3t|dXNlcjpwYXNz|abcdefgh12345/);
  });

  it.each(clean)('lets %j through unchanged, as redactSecrets would', (text) => {
    expect(mayContainSecrets(text, secrets)).toBe(false);
    expect(redactSecrets(text, secrets)).toBe(text);
  });
});
