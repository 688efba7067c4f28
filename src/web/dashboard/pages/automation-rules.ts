// Automation rules settings (/dashboard/<slug>/rules/): what happens to new branches and tags
// whose name matches (all, semantic versions, or a regular expression) — list in the order
// they run, add, delete — by domain/automation-rules.ts's rules, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AutomationRule, Project } from '../../../db/schema.ts';
import { ACTIONS, addRule, MAX_DESCRIPTION_LENGTH, MAX_PATTERN_LENGTH, projectRules, removeRule } from '../../../domain/automation-rules.ts';
import { html } from '../../html.ts';
import type { DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

const MATCHES: Array<[string, string]> = [['all-versions', 'Any version'], ['semver-versions', 'Semantic versions (1.2.3, v1.2.3)'], ['regex', 'Custom regular expression']];
const ACTION_NAMES: Record<string, string> = {
  'activate-version': 'Activate the version',
  'hide-version': 'Hide the version',
  'make-version-public': 'Make the version public',
  'make-version-private': 'Make the version private',
  'set-default-version': 'Make it the default version',
  'delete-version': 'Delete the version when its branch or tag is deleted',
};

interface Values {
  description: string;
  match: string;
  pattern: string;
  versionType: string;
  action: string;
}
const EMPTY: Values = { description: '', match: 'semver-versions', pattern: '', versionType: 'tag', action: 'activate-version' };

const matchOf = (r: AutomationRule) =>
  r.predefinedMatch ? html`${MATCHES.find(([m]) => m === r.predefinedMatch)?.[1] ?? r.predefinedMatch}` : html`<code>${r.matchArg}</code>`;

export function automationRulePages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, v: Values, refused: Refusal | null) => {
    const { rows } = await projectRules(ctx, p);
    return settingsPage(request, reply, ctx, p, 'rules', html`<p>When a sync finds a new branch or tag, every rule whose type and pattern match it acts on it, from the top.</p>
${rows.length === 0 ? html`<p class="muted">No automation rules yet.</p>` : html`<table><thead><tr><th scope="col">Order</th><th scope="col">Matches</th><th scope="col">Type</th><th scope="col">Action</th><th scope="col"><span class="muted">Delete</span></th></tr></thead><tbody>
${rows.map((r, i) => html`<tr><td>${i + 1}</td><td>${matchOf(r)}${r.description ? html`<br><span class="muted">${r.description}</span>` : ''}</td><td>${r.versionType}</td><td>${ACTION_NAMES[r.action] ?? r.action}</td>
<td><form class="inline" method="post" action="/dashboard/${p.slug}/rules/${r.id}/delete/" data-confirm="Delete this rule?">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete rule ${i + 1}">Delete</button></form></td></tr>`)}
</tbody></table>`}
<h2>Add a rule</h2>
<form class="stack" method="post" action="/dashboard/${p.slug}/rules/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'rule')}
<label>Description <input type="text" name="description" value="${v.description}" maxlength="${MAX_DESCRIPTION_LENGTH}"><span class="hint">Optional.</span></label>
<label>Match <select name="match">${MATCHES.map(([m, label]) => html`<option value="${m}"${v.match === m ? html` selected` : ''}>${label}</option>`)}</select></label>
<label>Pattern <input type="text" name="pattern" value="${v.pattern}" maxlength="${MAX_PATTERN_LENGTH}" autocomplete="off" spellcheck="false" placeholder="^release/"><span class="hint">For a custom regular expression only, e.g. <code>^v\\d+\\.\\d+$</code>.</span></label>
<label>Version type <select name="version_type"><option value="tag"${v.versionType === 'tag' ? html` selected` : ''}>Tag</option><option value="branch"${v.versionType === 'branch' ? html` selected` : ''}>Branch</option></select></label>
<label>Action <select name="action">${ACTIONS.map((a) => html`<option value="${a}"${v.action === a ? html` selected` : ''}>${ACTION_NAMES[a] ?? a}</option>`)}</select></label>
<button type="submit">Add rule</button>
</form>`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/rules/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), EMPTY, null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/rules/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const b = request.body;
    const v: Values = { description: text(b, 'description').trim(), match: text(b, 'match'), pattern: text(b, 'pattern').trim(), versionType: text(b, 'version_type'), action: text(b, 'action') };
    const custom = v.match === 'regex';
    try {
      await addRule(ctx, p, {
        description: v.description, predefinedMatchArg: custom ? null : v.match, ...(custom ? { matchArg: v.pattern } : {}), versionType: v.versionType, action: v.action,
      });
    } catch (err) {
      return show(request, reply, p, v, refusal(err, 'rule'));
    }
    return done(reply, p, 'rules', 'Rule added.');
  });

  app.post<{ Params: { slug: string; id: string } }>('/dashboard/:slug/rules/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeRule(ctx, p, idOf(request.params.id));
    return done(reply, p, 'rules', 'Rule deleted.');
  });
}
