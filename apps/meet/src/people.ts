/** Availability a user publishes in its user data under `status`. */
export type Availability = 'available' | 'busy';

/** What the lobby shows about one person. */
export interface Person {
  id: string;
  name: string;
  status: Availability;
}

/** The fields of a Contact the lobby reads (structural, so tests can pass plain objects). */
export interface ContactLike {
  getId(): string;
  getUsername(): string;
  getUserData(): { get(prop: string): unknown };
}

/** `busy` only when the user said so; anything else counts as available. */
export function availabilityOf(value: unknown): Availability {
  return value === 'busy' ? 'busy' : 'available';
}

export function personOf(contact: ContactLike): Person {
  return {
    id: contact.getId(),
    name: contact.getUsername() || contact.getId(),
    status: availabilityOf(contact.getUserData().get('status')),
  };
}

/** Available people first, then by name (case-insensitive), then by id for stability. */
export function sortPeople(people: Person[]): Person[] {
  return [...people].sort(
    (a, b) =>
      Number(a.status === 'busy') - Number(b.status === 'busy') ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
      a.id.localeCompare(b.id),
  );
}
