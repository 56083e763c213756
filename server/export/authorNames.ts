/** How a person is named in a timeline or an export. */
export interface AuthorName {
  name: string;
  email?: string;
}

/**
 * Names of the people behind ids (journal authors, audit actors): the accounts answer from their
 * store (server/app/describeUsers.ts). Ids they do not know (journals from before accounts, the
 * server's own records) are left out of the map and printed as they are.
 */
export type DescribeAuthors = (ids: string[]) => Promise<Map<string, AuthorName>>;
