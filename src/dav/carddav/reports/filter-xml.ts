import { elements, firstChild, textOf, type XmlElement } from '../../../xml/element.js';
import { carddav } from '../../../xml/names.js';
import { COLLATIONS, type Collation, type MatchType } from '../../../formats/vcard/text.js';
import type { CardFilter, ParamFilter, PropFilter, Test, TextMatch } from '../../../domain/contacts/filter.js';
import { DavError } from '../../core/errors.js';

/** Parse CARDDAV:filter (RFC 6352 §10.5) into the domain filter model. */

function attr(e: XmlElement, name: string): string | undefined {
  return e.attrs[`{}${name}`];
}

function testOf(e: XmlElement): Test {
  const t = attr(e, 'test') ?? 'anyof';
  if (t !== 'anyof' && t !== 'allof')
    throw DavError.condition('carddav:malformed-filter', `test="${t}" is neither anyof nor allof`);
  return t;
}

function textMatch(e: XmlElement): TextMatch {
  let collation = attr(e, 'collation') ?? 'i;unicode-casemap';
  if (collation === 'default') collation = 'i;unicode-casemap';
  if (!(COLLATIONS as readonly string[]).includes(collation)) {
    throw DavError.condition('carddav:supported-collation', `collation ${collation} is not supported`, [
      el0(carddav('supported-collation'), collation),
    ]);
  }
  const matchType = attr(e, 'match-type') ?? 'contains';
  if (!['equals', 'contains', 'starts-with', 'ends-with'].includes(matchType)) {
    throw DavError.condition('carddav:malformed-filter', `match-type ${matchType} is not supported`);
  }
  const negate = (attr(e, 'negate-condition') ?? 'no') === 'yes';
  return { text: textOf(e), collation: collation as Collation, matchType: matchType as MatchType, negate };
}

function el0(name: string, text: string): XmlElement {
  return { name, attrs: {}, children: [text] };
}

function paramFilter(e: XmlElement): ParamFilter {
  const name = attr(e, 'name');
  if (!name) throw DavError.badRequest('param-filter needs a name');
  const tm = firstChild(e, carddav('text-match'));
  return {
    name: name.toUpperCase(),
    isNotDefined: firstChild(e, carddav('is-not-defined')) !== undefined,
    textMatch: tm ? textMatch(tm) : null,
  };
}

function propFilter(e: XmlElement): PropFilter {
  const name = attr(e, 'name');
  if (!name) throw DavError.badRequest('prop-filter needs a name');
  return {
    name: name.toUpperCase(),
    test: testOf(e),
    isNotDefined: firstChild(e, carddav('is-not-defined')) !== undefined,
    textMatches: elements(e, carddav('text-match')).map(textMatch),
    paramFilters: elements(e, carddav('param-filter')).map(paramFilter),
  };
}

export function parseFilter(e: XmlElement | undefined): CardFilter {
  if (!e) return { test: 'anyof', propFilters: [] };
  return { test: testOf(e), propFilters: elements(e, carddav('prop-filter')).map(propFilter) };
}
