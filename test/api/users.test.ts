import { UUID, expectError, unknownId, useShop, type Method } from './helpers';

const MAX = Number.MAX_SAFE_INTEGER;

describe('api > users', () => {
  const ctx = useShop();

  it('POST /users/create answers 201 with a new user id; the user starts with no credit', async () => {
    const { api } = ctx;
    const first = await api.post('/users/create');
    const second = await api.post('/users/create');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ user_id: expect.stringMatching(UUID) });
    expect(second.status).toBe(201);
    expect(second.body.user_id).not.toBe(first.body.user_id);
    expect(await api.ok('get', `/users/find/${String(first.body.user_id)}`)).toEqual({
      user_id: first.body.user_id,
      credit: 0,
    });
  });

  it('GET /users/find and GET /users/credit show {user_id, credit}', async () => {
    const { api } = ctx;
    const user = await api.createUser(42);
    expect(await api.get(`/users/find/${user}`)).toMatchObject({
      status: 200,
      body: { user_id: user, credit: 42 },
    });
    const credit = await api.get(`/users/credit/${user}`);
    expect(credit.status).toBe(200);
    expect(credit.body).toEqual({ user_id: user, credit: 42 });
  });

  it('an id is case-insensitive: an upper-case UUID names the same user', async () => {
    const { api } = ctx;
    const user = await api.createUser(7);
    const answer = await api.get(`/users/find/${user.toUpperCase()}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ user_id: user, credit: 7 });
  });

  it('POST /users/credit/add adds to the credit and answers the user', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    expect(await api.ok('post', `/users/credit/add/${user}/30`)).toEqual({ user_id: user, credit: 30 });
    expect(await api.ok('post', `/users/credit/add/${user}/12`)).toEqual({ user_id: user, credit: 42 });
    expect(await api.credit(user)).toBe(42);
  });

  it('POST /users/credit/subtract takes from the credit, down to exactly zero', async () => {
    const { api } = ctx;
    const user = await api.createUser(50);
    expect(await api.ok('post', `/users/credit/subtract/${user}/20`)).toEqual({ user_id: user, credit: 30 });
    expect(await api.ok('post', `/users/credit/subtract/${user}/30`)).toEqual({ user_id: user, credit: 0 });
    expect(await api.credit(user)).toBe(0);
  });

  it('DELETE /users/remove removes the user: it is then unknown everywhere', async () => {
    const { api } = ctx;
    const user = await api.createUser(10);
    const removed = await api.delete(`/users/remove/${user}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ success: true });
    expectError(await api.get(`/users/find/${user}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.get(`/payment/find_user/${user}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.delete(`/users/remove/${user}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.post(`/users/credit/add/${user}/5`), 404, 'SHOP_ERR_USER_NOT_FOUND');
    expectError(await api.get(`/users/find/${user}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
  });

  it('credit can reach 2^53 - 1; adding past it is refused with 409 and changes nothing', async () => {
    const { api } = ctx;
    const user = await api.createUser();
    expect(await api.ok('post', `/users/credit/add/${user}/${MAX}`)).toEqual({ user_id: user, credit: MAX });
    expectError(await api.post(`/users/credit/add/${user}/1`), 409, 'SHOP_ERR_LIMIT_EXCEEDED');
    expect(await api.credit(user)).toBe(MAX);
  });

  it('subtracting more than the credit is refused with 409 and changes nothing', async () => {
    const { api } = ctx;
    const user = await api.createUser(25);
    expectError(await api.post(`/users/credit/subtract/${user}/26`), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    expect(await api.credit(user)).toBe(25);
    const empty = await api.createUser();
    expectError(await api.post(`/users/credit/subtract/${empty}/1`), 409, 'SHOP_ERR_INSUFFICIENT_CREDIT');
    expect(await api.credit(empty)).toBe(0);
  });

  const unknownUserCases: [Method, string][] = [
    ['get', '/users/find/{id}'],
    ['get', '/users/credit/{id}'],
    ['delete', '/users/remove/{id}'],
    ['post', '/users/credit/add/{id}/5'],
    ['post', '/users/credit/subtract/{id}/5'],
  ];
  it.each(unknownUserCases)(
    '%s %s of an unknown user is 404 and creates nothing',
    async (method, template) => {
      const { api } = ctx;
      for (const id of [unknownId(), '9999999999999999']) {
        const answer = await api.call(method, template.replace('{id}', id));
        expectError(answer, 404, 'SHOP_ERR_USER_NOT_FOUND');
        expectError(await api.get(`/users/find/${id}`), 404, 'SHOP_ERR_USER_NOT_FOUND');
      }
    },
  );
});
