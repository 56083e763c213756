import type { Lang } from './lang';
import { common as enCommon } from './en/common';
import { log as enLog } from './en/log';
import { tasks as enTasks } from './en/tasks';
import { decisions as enDecisions } from './en/decisions';
import { accounts as enAccounts } from './en/accounts';
import { audit as enAudit } from './en/audit';
import { regulatory as enRegulatory } from './en/regulatory';
import { reports as enReports } from './en/reports';
import { timeline as enTimeline } from './en/timeline';
import { exportText as enExports } from './en/exports';
import { kit as enKit } from './en/kit';
import { enums as enEnums } from './en/enums';
import { layout as enLayout } from './en/layout';
import { friction as enFriction } from './en/friction';
import { exerciseMark as enExerciseMark } from './en/exerciseMark';
import { exercise as enExercise } from './en/exercise';
import { common as frCommon } from './fr/common';
import { log as frLog } from './fr/log';
import { tasks as frTasks } from './fr/tasks';
import { decisions as frDecisions } from './fr/decisions';
import { accounts as frAccounts } from './fr/accounts';
import { audit as frAudit } from './fr/audit';
import { regulatory as frRegulatory } from './fr/regulatory';
import { reports as frReports } from './fr/reports';
import { timeline as frTimeline } from './fr/timeline';
import { exportText as frExports } from './fr/exports';
import { kit as frKit } from './fr/kit';
import { enums as frEnums } from './fr/enums';
import { layout as frLayout } from './fr/layout';
import { friction as frFriction } from './fr/friction';
import { exerciseMark as frExerciseMark } from './fr/exerciseMark';
import { exercise as frExercise } from './fr/exercise';

export * from './lang';

/**
 * Every word of the UI and of every export, one table per language, split by area. The web
 * client and the server's exports both read these: no second table anywhere for the same label.
 */
const EN = { common: enCommon, log: enLog, tasks: enTasks, decisions: enDecisions, accounts: enAccounts, audit: enAudit, regulatory: enRegulatory, reports: enReports, timeline: enTimeline, exports: enExports, kit: enKit, enums: enEnums, layout: enLayout, friction: enFriction, exerciseMark: enExerciseMark, exercise: enExercise };
export type Words = typeof EN;
const FR: Words = { common: frCommon, log: frLog, tasks: frTasks, decisions: frDecisions, accounts: frAccounts, audit: frAudit, regulatory: frRegulatory, reports: frReports, timeline: frTimeline, exports: frExports, kit: frKit, enums: frEnums, layout: frLayout, friction: frFriction, exerciseMark: frExerciseMark, exercise: frExercise };

export const WORDS: Record<Lang, Words> = { en: EN, fr: FR };

export function words(lang: Lang): Words {
  return WORDS[lang];
}

/**
 * The client's dictionary, flat as its components read it (`t.post`, `t.reg.kinds…`): the UI
 * areas side by side, the regulatory words under `reg`.
 */
function uiDict(w: Words) {
  return { ...w.common, ...w.log, ...w.tasks, ...w.decisions, ...w.accounts, ...w.audit, reg: { ...w.regulatory, ...w.regulatory.ui }, layout: w.layout, friction: w.friction, exercise: w.exercise };
}
export type UiDict = ReturnType<typeof uiDict>;
export const UI: Record<Lang, UiDict> = { en: uiDict(EN), fr: uiDict(FR) };
