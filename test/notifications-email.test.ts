/**
 * The e-mail side of the inbox, on both databases, with real nodemailer transports that need no
 * network: an assignment e-mails the unit's member who left an address (zh and en, recorded as
 * sent); a transport that fails, a transport that rejects with a bare string, or a malformed
 * GONGFU_SMTP_URL records the error on the notification and the transition still succeeds; with no
 * SMTP configured nothing is attempted.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Role } from '../src/domain/access.js';
import { SYSTEM_CONTEXT, type RequestContext } from '../src/services/context.js';
import * as notifications from '../src/services/notifications.js';
import * as plans from '../src/services/plans.js';
import * as problems from '../src/services/problems.js';
import * as users from '../src/services/users.js';
import type { Store } from '../src/store/db.js';
import { getOrgUnit } from '../src/store/org-units.js';
import { problemsDb } from '../src/store/problems.js';
import { describeEachStore } from './support/stores.js';

const MINI = new URL('./fixtures/mini-plan/plan.yaml', import.meta.url).pathname;
const PASSWORD = 'Mail-Courtesy-42';

async function person(store: Store, username: string, role: Role, unit: string): Promise<RequestContext> {
  const { user } = await users.addUser(store, SYSTEM_CONTEXT, {
    username,
    password: PASSWORD,
    grants: [{ role, unit }],
  });
  const path = (await getOrgUnit(store.db, unit))!.path;
  return {
    actor: { kind: 'user', userId: user.id, username, grants: [{ role, unit, unitPath: path }], via: 'session' },
    address: null,
  };
}

/** A transport whose every send fails the way `reason` says (a real nodemailer transport, custom send). */
function failing(reason: unknown): Transporter {
  return nodemailer.createTransport({
    name: 'failing',
    version: '1',
    send: (_mail: unknown, done: (err: unknown) => void) => done(reason),
  } as never);
}

describeEachStore('notifications by e-mail', (store) => {
  let supervisor: RequestContext;
  let member: RequestContext;
  const savedEnv = { url: process.env.GONGFU_SMTP_URL, from: process.env.GONGFU_SMTP_FROM };

  beforeAll(async () => {
    await plans.importPlan(store(), MINI);
    supervisor = await person(store(), 'dc', 'supervisor', '990100');
    member = await person(store(), 'fgw', 'unit_member', '990100-fgw');
    await person(store(), 'fgw-silent', 'unit_member', '990100-fgw'); // no address: no e-mail
    await notifications.setMyEmail(store(), member, 'fgw@example.gov.cn');
  });
  afterEach(() => {
    notifications.setMailTransport(null);
    restoreEnv();
  });
  afterAll(() => notifications.setMailTransport(undefined));

  function restoreEnv() {
    for (const [k, v] of [
      ['GONGFU_SMTP_URL', savedEnv.url],
      ['GONGFU_SMTP_FROM', savedEnv.from],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }

  let seq = 0;
  /** Raises a fresh problem and assigns it to the member's unit: the assignment notifies them. */
  async function raiseAndAssign() {
    const raised = await problems.raiseProblem(store(), supervisor, {
      title: `电子邮件测试${++seq}`,
      category: 'indicator',
      orgUnit: '990100',
    });
    const assigned = await problems.transitionProblem(store(), supervisor, raised.id, {
      transition: 'assign',
      assignedUnit: '990100-fgw',
      deadline: '2099-06-30',
    });
    return assigned;
  }
  const userIdOf = (ctx: RequestContext) => (ctx.actor.kind === 'user' ? ctx.actor.userId : -1);
  const rows = (problemId: number) =>
    problemsDb(store().db)
      .selectFrom('notification')
      .select(['id', 'user_id', 'kind', 'emailed_at', 'email_error', 'message_zh', 'message_en'])
      .where('problem_id', '=', problemId)
      .where('kind', '=', 'assigned')
      .orderBy('id')
      .execute();

  it('e-mails the assignment to the member with an address, in Chinese and English, and records it sent', async () => {
    const t = nodemailer.createTransport({ jsonTransport: true });
    const send = vi.spyOn(t, 'sendMail');
    notifications.setMailTransport(t, 'gongfu@jinhua.example');
    const p = await raiseAndAssign();
    const id = p.id;
    expect(p.status).toBe('assigned');

    expect(send).toHaveBeenCalledTimes(1); // the silent member left no address
    const info = (await send.mock.results[0]!.value) as { message: string };
    const mail = JSON.parse(info.message) as {
      from: { address: string };
      to: { address: string }[];
      subject: string;
      text: string;
    };
    const ref = `问题${id}“${p.title}”`;
    expect(mail.from.address).toBe('gongfu@jinhua.example');
    expect(mail.to.map((x) => x.address)).toEqual(['fgw@example.gov.cn']);
    expect(mail.subject).toBe(`[共富 Gongfu] ${[...`${ref}已交办给本单位，请按期整改`].slice(0, 60).join('')}`);
    expect(mail.text).toBe(
      `${ref}已交办给本单位，请按期整改\n\nproblem ${id} "${p.title}" was assigned to your unit for rectification\n`,
    );

    const sent = await rows(id);
    const byUser = new Map(sent.map((r) => [r.user_id, r]));
    expect(byUser.get(userIdOf(member))).toMatchObject({ email_error: null });
    expect(byUser.get(userIdOf(member))!.emailed_at).toBeInstanceOf(Date);
    // the other member got the notice in the inbox, not by e-mail
    const others = sent.filter((r) => r.user_id !== userIdOf(member));
    expect(others).toHaveLength(1);
    expect(others[0]!.emailed_at).toBeNull();
    // the inbox view says it was e-mailed
    const inbox = await notifications.inbox(store(), member);
    expect(inbox.find((n) => n.problemId === id && n.kind === 'assigned')!.emailedAt).not.toBeNull();
  });

  it('records a failing transport’s error on the notification and still completes the transition', async () => {
    notifications.setMailTransport(failing(new Error('421 mail server unavailable')));
    const p = await raiseAndAssign();
    expect(p.status).toBe('assigned');
    const mine = (await rows(p.id)).find((r) => r.user_id === userIdOf(member))!;
    expect(mine).toMatchObject({ emailed_at: null, email_error: '421 mail server unavailable' });
  });

  it('copes with a transport that rejects with a bare string, not an Error', async () => {
    notifications.setMailTransport(failing('connection reset'));
    const p = await raiseAndAssign();
    expect(p.status).toBe('assigned');
    const mine = (await rows(p.id)).find((r) => r.user_id === userIdOf(member))!;
    expect(mine).toMatchObject({ emailed_at: null, email_error: 'connection reset' });
  });

  it('with a malformed GONGFU_SMTP_URL records why and still completes the transition', async () => {
    process.env.GONGFU_SMTP_URL = 'smtp//no-colon:::';
    notifications.setMailTransport(undefined);
    const p = await raiseAndAssign();
    expect(p.status).toBe('assigned');
    const mine = (await rows(p.id)).find((r) => r.user_id === userIdOf(member))!;
    expect(mine.emailed_at).toBeNull();
    expect(mine.email_error).toMatch(/^GONGFU_SMTP_URL: /);
  });

  it('with no SMTP configured attempts nothing and fails nothing', async () => {
    delete process.env.GONGFU_SMTP_URL;
    notifications.setMailTransport(undefined);
    const create = vi.spyOn(nodemailer, 'createTransport');
    const p = await raiseAndAssign();
    expect(p.status).toBe('assigned');
    expect(create).not.toHaveBeenCalled();
    create.mockRestore();
    const sent = await rows(p.id);
    expect(sent).toHaveLength(2); // both members have it in the inbox
    for (const r of sent) expect(r).toMatchObject({ emailed_at: null, email_error: null });
  });
});
