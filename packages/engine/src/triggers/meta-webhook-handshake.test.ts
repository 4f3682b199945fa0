import { answerMetaHandshake } from './meta-webhook-handshake';

describe('answerMetaHandshake', () => {
  it('answers the challenge when the verify token is ours', () => {
    expect(
      answerMetaHandshake(
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '1158201444' },
        'tok',
      ),
    ).toEqual({ status: 200, body: '1158201444' });
  });

  it('refuses another verify token with 403', () => {
    expect(
      answerMetaHandshake(
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'c' },
        'tok',
      ).status,
    ).toBe(403);
  });

  it('refuses a mode other than subscribe and a missing challenge', () => {
    expect(
      answerMetaHandshake(
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': 'tok', 'hub.challenge': 'c' },
        'tok',
      ).status,
    ).toBe(403);
    expect(answerMetaHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok' }, 'tok').status).toBe(
      403,
    );
  });
});
