/** Report delivery by email. */
export { createMailer, type Mailer, type MailerOptions, type SentReport } from './create-mailer';
export { MailError, classifyMailFailure, type MailErrorCode } from './mail-error';
export { MailSettingsError, mailSettingsFromEnv, parseMailSettings, type MailSettings, type MailSettingsInput } from './mail-settings';
export { composeReportEmail, type ReportEmail } from './report-email';
