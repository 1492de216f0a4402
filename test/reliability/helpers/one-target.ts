// A fleet targets file with one Contoso target whose secrets come from $M365_T_SECRET (the password may come from
// elsewhere): the smallest file `check --targets` accepts.
import { writeFileSync } from 'node:fs';

export function writeOneTarget(file: string, password: object = { env: 'M365_T_SECRET' }): string {
  writeFileSync(
    file,
    JSON.stringify({
      targets: [
        {
          tenant: 'contoso.onmicrosoft.com',
          clientId: '11111111-2222-3333-4444-555555555555',
          username: 'a@contoso.com',
          clientSecret: { env: 'M365_T_SECRET' },
          password,
        },
      ],
    }),
  );
  return file;
}
