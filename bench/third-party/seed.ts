/** The third-party app's data: the same 2,000 articles on every start (a seeded generator). */
import { seededRandom } from '../../src/stats/random.js';

const WORDS = (
  'latency throughput cache queue index shard replica commit branch deploy rollback metric ' +
  'trace span budget alert pager incident review merge release canary gateway router worker ' +
  'thread socket buffer stream parser schema migration backup restore cluster node pod'
).split(' ');
const CATEGORIES = ['engineering', 'operations', 'product', 'security', 'data'];
const AUTHORS = ['ada', 'grace', 'linus', 'barbara', 'ken', 'margaret', 'edsger', 'donald'];

export interface Article {
  id: number;
  title: string;
  author: string;
  category: string;
  tags: string[];
  body: string;
  views: number;
  published: boolean;
}

export function seedArticles(count: number): Article[] {
  const random = seededRandom(20261201);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    title: words(5),
    author: pick(AUTHORS),
    category: pick(CATEGORIES),
    tags: [pick(WORDS), pick(WORDS)],
    body: words(40),
    views: Math.floor(random() * 10_000),
    published: random() < 0.8,
  }));
}
