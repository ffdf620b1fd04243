import type { Command } from './command.js';
import { calendarExport, calendarImport } from './calendar-io.js';
import {
  calendarBirthdays,
  calendarRefresh,
  calendarSubscribe,
  calendarSubscriptions,
} from './calendar-subscriptions.js';
import { calendarInvitations } from './calendar-invitations.js';
import { calendarPublish, calendarUnpublish } from './calendar-publish.js';
import { serve } from './serve.js';
import { backup, restore } from './backup.js';
import { syncmlDevices, syncmlReset, syncmlRoute } from './syncml.js';
import { userAdd, userDelete, userList, userPasswd, userTotpOff } from './user.js';
import { userAdmin, userDefaultQuota, userQuota } from './user-admin.js';
import { pushList, pushRemove } from './push.js';
import { appPasswordAdd, appPasswordList, appPasswordRevoke } from './app-password.js';
import { groupAdd, groupDelete, groupList, groupMembers } from './group.js';

/**
 * Every `almanac` command, in the order `almanac --help` lists them. A new command (import,
 * export, syncml devices, …) is one file in src/cli/ exporting a Command, plus one line here.
 * Multi-word names form groups: `almanac user` lists the `user …` commands.
 */
export const COMMANDS: readonly Command[] = [
  serve,
  userAdd,
  userPasswd,
  userList,
  userDelete,
  userTotpOff,
  userAdmin,
  userQuota,
  userDefaultQuota,
  appPasswordAdd,
  appPasswordList,
  appPasswordRevoke,
  groupAdd,
  groupMembers,
  groupList,
  groupDelete,
  calendarImport,
  calendarExport,
  calendarSubscribe,
  calendarRefresh,
  calendarSubscriptions,
  calendarBirthdays,
  calendarInvitations,
  calendarPublish,
  calendarUnpublish,
  syncmlDevices,
  syncmlReset,
  syncmlRoute,
  pushList,
  pushRemove,
  backup,
  restore,
];
