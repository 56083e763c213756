/** Creates an incident over REST, as a script would. */
export async function createIncidentOver(url: string, title = 'Bench incident'): Promise<string> {
  const res = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, detectedAt: new Date().toISOString(), author: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`create incident: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
