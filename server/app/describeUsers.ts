import type { AccountStore } from '../auth/accountStore';
import type { AuthorName, DescribeAuthors } from '../export/authorNames';

/**
 * Names of accounts for the timeline: the display name (and e-mail) of each user id. Ids that
 * are not accounts (journals from before accounts, the server's own records) are left out.
 */
export function describeUsers(accounts: AccountStore): DescribeAuthors {
  return async (ids) => {
    const out = new Map<string, AuthorName>();
    const users = await Promise.all(ids.map((id) => accounts.getUser(id)));
    users.forEach((user, i) => {
      if (user) out.set(ids[i]!, { name: user.displayName, email: user.email });
    });
    return out;
  };
}
