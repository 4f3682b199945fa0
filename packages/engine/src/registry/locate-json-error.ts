/** Where a JSON text first breaks the grammar, 1-based, and why. */
export interface JsonErrorLocation {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * Finds the first syntax error of a JSON text, or undefined when it is valid. JSON.parse's own
 * messages differ between Node versions and often carry no position, and manifest errors must be
 * stable, so the loader locates the error with this small scanner (only after JSON.parse failed).
 */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ...lineAndColumn(text, error.offset), reason: error.message };
  }
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

class JsonScanner {
  private at = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.space();
    if (this.at < this.text.length) this.fail(`unexpected ${this.describe()} after the end of the document`);
  }

  private value(): void {
    this.space();
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    if (char === '-' || (char >= '0' && char <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    this.fail(`expected a value but found ${this.describe()}`);
  }

  private object(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === '}') return void this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') this.fail('trailing comma before }');
      if (this.text[this.at] !== '"')
        this.fail(`expected a property name in double quotes but found ${this.describe()}`);
      this.string();
      this.space();
      if (this.text[this.at] !== ':')
        this.fail(`expected ':' after the property name but found ${this.describe()}`);
      this.at++;
      this.value();
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      if (this.text[this.at] === '}') return void this.at++;
      this.fail(`expected ',' or '}' after a property value but found ${this.describe()}`);
    }
  }

  private array(): void {
    this.at++;
    this.space();
    if (this.text[this.at] === ']') return void this.at++;
    for (;;) {
      this.space();
      if (this.text[this.at] === ']') this.fail('trailing comma before ]');
      this.value();
      this.space();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      if (this.text[this.at] === ']') return void this.at++;
      this.fail(`expected ',' or ']' after an array item but found ${this.describe()}`);
    }
  }

  private string(): void {
    this.at++;
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (char === '"') return void this.at++;
      if (char < ' ') this.fail('unescaped control character (such as a line break) inside a string');
      if (char === '\\') {
        const escape = this.text[this.at + 1];
        if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6)))
          this.at += 6;
        else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) this.at += 2;
        else this.fail('invalid escape sequence in a string');
      } else this.at++;
    }
    this.fail('unterminated string');
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (!match) this.fail(`invalid number`);
    this.at += match[0].length;
  }

  private space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  private describe(): string {
    if (this.at >= this.text.length) return 'the end of the file';
    return `'${this.text[this.at]}'`;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.at);
  }
}
