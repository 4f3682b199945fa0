import { randomBytes } from 'node:crypto';

export interface GraphErrorOptions {
  subcode?: number;
  type?: string;
  userTitle?: string;
  userMsg?: string;
  isTransient?: boolean;
  /** Extra response headers, e.g. usage headers on rate-limit errors. */
  headers?: Record<string, string>;
}

/** The body Meta sends for every Graph failure. */
export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
    is_transient: boolean;
  };
}

/**
 * A Graph API failure as Meta reports it. Thrown by handlers and turned into the envelope in one
 * place (the Graph route), so every error gets the same shape and the 190 `WWW-Authenticate` header.
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly options: GraphErrorOptions = {},
  ) {
    super(message);
  }

  get subcode(): number | undefined {
    return this.options.subcode;
  }

  toEnvelope(): GraphErrorEnvelope {
    const { subcode, userTitle, userMsg } = this.options;
    // Meta leaves the optional keys out rather than sending nulls; mirror that.
    return {
      error: {
        message: this.message,
        type: this.options.type ?? 'OAuthException',
        code: this.code,
        ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        ...(userTitle !== undefined ? { error_user_title: userTitle } : {}),
        ...(userMsg !== undefined ? { error_user_msg: userMsg } : {}),
        fbtrace_id: newFbtraceId(),
        is_transient: this.options.isTransient ?? false,
      },
    };
  }

  /** Headers the response must carry: the OAuth challenge for 190, plus any the thrower added. */
  responseHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.code === 190) {
      headers['www-authenticate'] =
        `OAuth "Facebook Platform" "invalid_token" "${this.message.replace(/"/g, "'")}"`;
    }
    return headers;
  }
}

function newFbtraceId(): string {
  return `A${randomBytes(8).toString('base64url')}`;
}
