import { useEffect, useState } from 'react';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../amplify/data/resource';
import { configureBackend } from './amplify-outputs';

type Note = Schema['Note']['type'];

const backendDeployed = configureBackend();

/** Lists the notes of the data model, read through the public API key. */
export function App() {
  const [notes, setNotes] = useState<Note[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!backendDeployed) return;
    const client = generateClient<Schema>({ authMode: 'apiKey' });
    client.models.Note.list()
      .then(({ data, errors }) => (errors?.length ? setError(errors[0].message) : setNotes(data)))
      .catch((e: unknown) => setError(String(e)));
  }, []);

  return (
    <main>
      <h1>Amplify Gen 2 example</h1>
      {!backendDeployed && <p>The backend is not deployed yet: Amplify writes amplify_outputs.json when it builds this branch.</p>}
      {error && <p role="alert">Could not load notes: {error}</p>}
      {backendDeployed && !error && (
        <ul>
          {notes.length === 0 && <li>No notes yet.</li>}
          {notes.map((n) => (
            <li key={n.id}>
              <strong>{n.title}</strong> {n.body}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
