/** The address book behind RFC 6352 §8.6/§8.7's examples (plus cards that must not match). */
import { card } from './carddav-helpers.js';

export const EXAMPLE_CARDS: Record<string, string> = {
  'v102.vcf': card([
    'VERSION:3.0',
    'NICKNAME:me',
    'UID:34222-232@example.com',
    'FN:Cyrus Daboo',
    'EMAIL:daboo@example.com',
    'N:Daboo;Cyrus;;;',
    'TEL;TYPE=WORK,VOICE:412 605 0499',
    'NOTE:not asked for',
  ]),
  'v104.vcf': card([
    'VERSION:3.0',
    'NICKNAME:oliver',
    'UID:34222-23222@example.com',
    'FN:Oliver Daboo',
    'EMAIL:oliver@example.com',
    'N:Daboo;Oliver;;;',
  ]),
  'v105.vcf': card([
    'VERSION:3.0',
    'NICKNAME:Mee',
    'UID:34222-5@example.com',
    'FN:Bernard Desruisseaux',
    'EMAIL;TYPE=HOME:bernard@example.com',
    'N:Desruisseaux;Bernard;;;',
  ]),
  'v106.vcf': card([
    'VERSION:4.0',
    'UID:urn:uuid:106',
    'FN:Lisa Dusseault',
    'EMAIL;TYPE=work:lisa@daboo.example',
    'KIND:individual',
    'CATEGORIES:friends,work',
  ]),
  'vcf102.vcf': card([
    'VERSION:3.0',
    'NICKNAME:me',
    'UID:34222-232-b@example.com',
    'FN:Cyrus Daboo',
    'EMAIL:daboo@example.com',
    'N:Daboo;Cyrus;;;',
  ]),
};
