// `bindery build [--wait]`, `bindery builds`, `bindery cancel`. With --wait the exit code is
// the build's result (0 finished, 1 failed or cancelled), so scripts and CI can gate on it.
import type { Api } from './api.ts';
import { positiveInteger, type Args } from './args.ts';
import { followBuild } from './follow.ts';
import { ago, clean, duration, note, oneLine, print, printJson, table } from './output.ts';
import { projectPath } from './projects.ts';
import type { Build, Page, Triggered, Version } from './types.ts';

export async function triggerBuild(api: Api, args: Args): Promise<number> {
  const [project, version = 'latest'] = args.positionals as [string, string?];
  const json = args.flags.has('--json');
  const answer = await api.request<Triggered>('POST', `${projectPath(project)}versions/${encodeURIComponent(version)}/builds/`);
  const { build } = answer;
  const projectSlug = answer.project.slug;
  const versionSlug = answer.version.slug;
  const name = `${projectSlug}/${versionSlug}`;
  if (!args.flags.has('--wait')) {
    if (json) printJson(answer);
    else {
      print(String(build.id));
      note(`Build #${build.id} of ${name} triggered (bindery builds ${projectSlug}).`);
    }
    return 0;
  }
  note(`Build #${build.id} of ${name} triggered; following its log (Ctrl-C stops following, not the build).`);
  const stop = () => {
    note(`\nStopped following build #${build.id}; it goes on on the server (bindery cancel ${projectSlug} ${build.id} stops it).`);
    process.exit(130);
  };
  process.once('SIGINT', stop);
  // With --json stdout carries only the final build object, so the log goes to stderr.
  const write = json ? note : print;
  const final = await followBuild(api, projectSlug, build.id, {
    line: (l) => write(clean(l.line)),
    retry: (reason) => note(`${reason}; reconnecting…`),
  });
  process.off('SIGINT', stop);
  if (json) printJson(final);
  if (final.state.code === 'finished' && final.success === true) {
    const docs = await api.request<Version>('GET', `${projectPath(projectSlug)}versions/${encodeURIComponent(versionSlug)}/`).then((v) => `: ${v.urls.documentation}`, () => '');
    note(`Build #${final.id} finished in ${duration(final.duration ?? 0)}${docs}`);
    return 0;
  }
  // Read the Docs' final states are finished and cancelled; a failure is finished with success false.
  const verb = final.state.code === 'cancelled' ? 'was cancelled' : final.state.code === 'finished' ? 'failed' : `ended ${final.state.code}`;
  const code = final.error_code && final.error_code !== final.state.code ? ` [${final.error_code}]` : '';
  note(`Build #${final.id} ${verb}: ${clean(final.error || 'no error given')}${code}`);
  return 1;
}

export async function listBuilds(api: Api, args: Args): Promise<number> {
  const [project, version] = args.positionals as [string, string?];
  const limit = args.values.has('--limit') ? positiveInteger('--limit', args.values.get('--limit')!, 100) : 20;
  const scope = version ? `versions/${encodeURIComponent(version)}/` : '';
  const page = await api.request<Page<Build>>('GET', `${projectPath(project)}${scope}builds/?limit=${limit}`);
  if (args.flags.has('--json')) printJson(page);
  else if (page.results.length === 0) note('No builds yet.');
  else {
    print(table(['ID', 'VERSION', 'STATE', 'CREATED', 'DURATION', 'ERROR'], page.results.map((b) => [String(b.id), b.version, b.state.code, ago(b.created), duration(b.duration), oneLine(b.error)])));
    if (page.count > page.results.length) note(`(the ${page.results.length} newest of ${page.count}; --limit N shows up to 100)`);
  }
  return 0;
}

export async function cancelBuild(api: Api, args: Args): Promise<number> {
  const project = args.positionals[0]!;
  const id = positiveInteger('the build id', args.positionals[1]!);
  const build = await api.request<Build>('POST', `${projectPath(project)}builds/${id}/cancel/`);
  if (args.flags.has('--json')) printJson(build);
  else if (build.state.code === 'cancelled') note(`Build #${id} cancelled.`);
  else note(`Build #${id}: cancel requested; its builder stops it within seconds (it was ${build.state.code}).`);
  return 0;
}
