/**
 * The SMTP server reports are sent through: from the environment, or an organization's own
 * (stored sealed with the server key; the password is write-only).
 */
import { z } from 'zod';

/** "reports@example.com" or "Sightline reports <reports@example.com>". */
const address = z.string().trim().refine((v) => {
  const m = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/.exec(v);
  const email = m?.[1] ?? m?.[2];
  return !!email && z.email().safeParse(email).success;
}, 'must be an email address, optionally with a name: "Reports <reports@example.com>"');

export const mailSettingsSchema = z
  .object({
    host: z.string().trim().min(1, 'must not be empty').max(255),
    port: z.number().int().min(1).max(65_535),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean(),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    from: address,
    tls: z.object({ rejectUnauthorized: z.boolean() }).optional(),
  })
  .refine((s) => (s.user === undefined) === (s.password === undefined), { message: 'needs both user and password, or neither', path: ['user'] });

export type MailSettings = z.output<typeof mailSettingsSchema>;
export type MailSettingsInput = z.input<typeof mailSettingsSchema>;
