/** A strict RFC 5424 reader for tests: throws on anything the grammar does not allow. */
export interface ParsedSyslogMessage {
  readonly pri: number;
  readonly facility: number;
  readonly severity: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  /** SD-ID to its params, values unescaped. */
  readonly structuredData: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly msg: string;
  readonly hasBom: boolean;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function parseRfc5424(raw: Buffer): ParsedSyslogMessage {
  const header = /^<(\d{1,3})>1 (\S+) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) /.exec(
    raw.toString('latin1'),
  );
  if (!header) throw new Error(`not an RFC 5424 header: ${raw.toString('utf8').slice(0, 120)}`);
  const [whole, pri, timestamp, hostname, appName, procId, msgId] = header as unknown as string[];
  const rest = raw.subarray(Buffer.byteLength(whole ?? '', 'latin1'));
  const structuredData: Record<string, Record<string, string>> = {};
  let at = 0;
  if (rest[0] === 0x2d /* - */) {
    at = 1;
  } else {
    const text = rest.toString('utf8');
    let i = 0;
    while (text[i] === '[') {
      const id = /^\[([^\s=\]"]{1,32})/.exec(text.slice(i));
      if (!id?.[1]) throw new Error(`bad SD-ID at ${text.slice(i, i + 40)}`);
      const params: Record<string, string> = {};
      i += id[0].length;
      while (text[i] === ' ') {
        const name = /^ ([^\s=\]"]{1,32})="/.exec(text.slice(i));
        if (!name?.[1]) throw new Error(`bad SD-PARAM at ${text.slice(i, i + 40)}`);
        i += name[0].length;
        let value = '';
        for (;;) {
          const c = text[i];
          if (c === undefined) throw new Error('unterminated PARAM-VALUE');
          if (c === '\\' && ['"', '\\', ']'].includes(text[i + 1] ?? '')) {
            value += text[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else if (c === ']') {
            throw new Error(`unescaped ] in PARAM-VALUE of ${name[1]}`);
          } else {
            value += c;
            i++;
          }
        }
        params[name[1]] = value;
      }
      if (text[i] !== ']') throw new Error(`SD-ELEMENT not closed at ${text.slice(i, i + 40)}`);
      i++;
      structuredData[id[1]] = params;
    }
    if (i === 0) throw new Error('missing STRUCTURED-DATA');
    at = Buffer.byteLength(text.slice(0, i));
  }
  let msgBytes = rest.subarray(at);
  if (msgBytes.length > 0) {
    if (msgBytes[0] !== 0x20) throw new Error('STRUCTURED-DATA not followed by SP MSG');
    msgBytes = msgBytes.subarray(1);
  }
  const hasBom = msgBytes.subarray(0, 3).equals(BOM);
  const priority = Number(pri);
  return {
    pri: priority,
    facility: Math.floor(priority / 8),
    severity: priority % 8,
    timestamp: timestamp ?? '',
    hostname: hostname ?? '',
    appName: appName ?? '',
    procId: procId ?? '',
    msgId: msgId ?? '',
    structuredData,
    msg: (hasBom ? msgBytes.subarray(3) : msgBytes).toString('utf8'),
    hasBom,
  };
}

/** Splits an RFC 6587 octet-counted stream into messages; returns the unconsumed tail. */
export function splitOctetCounted(stream: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let at = 0;
  for (;;) {
    const space = stream.indexOf(0x20, at);
    if (space === -1) break;
    const lengthText = stream.subarray(at, space).toString('latin1');
    if (!/^[1-9]\d*$/.test(lengthText)) throw new Error(`bad MSG-LEN ${JSON.stringify(lengthText)}`);
    const end = space + 1 + Number(lengthText);
    if (end > stream.length) break;
    messages.push(stream.subarray(space + 1, end));
    at = end;
  }
  return { messages, rest: stream.subarray(at) };
}
