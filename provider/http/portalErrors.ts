/**
 * The portal API's error answers as observed by public callers (docs/reference/portal-api.md#what-public-callers-show): 4xx bodies are a
 * `ClientException` JSON (`Message`, `ClientData.errorCode`, `XMsServerRequestId`; community OpenAPI description,
 * nodoc `common.yml`), an unknown route answers ASP.NET's `{"message": "No HTTP resource was found ..."}`, and a 401
 * may be an HTML page. Plain functions over plain data.
 */
import { isRecord } from "../../lib/predicates";

export interface PortalErrorBody {
  /** `ClientData.errorCode` (`ArgumentNull`, `msalautherror_invalid_grant`, `LicenseAssignmentError`, ...). */
  code?: string;
  message?: string;
  /** `XMsServerRequestId`. */
  requestId?: string;
}

/** Reads a `ClientException` body; undefined for anything else (ASP.NET's `{"message"}`, HTML). */
export function parsePortalErrorBody(text: string): PortalErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Only the ClientException is read: other JSON (ASP.NET's `{"message"}` for an unknown route) is shown as it is.
  if (!isRecord(parsed) || (parsed.Message === undefined && !isRecord(parsed.ClientData))) return undefined;
  const clientData = isRecord(parsed.ClientData) ? parsed.ClientData : {};
  const message = typeof parsed.Message === "string" ? parsed.Message : undefined;
  const result: PortalErrorBody = {
    code: typeof clientData.errorCode === "string" && clientData.errorCode !== "" ? clientData.errorCode : undefined,
    message,
    requestId: typeof parsed.XMsServerRequestId === "string" ? parsed.XMsServerRequestId : undefined,
  };
  return result.code === undefined && result.message === undefined ? undefined : result;
}

/** Whether a body is an HTML page (a sign-in or error page), which is never shown in a message. */
export function isHtmlBody(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text) || /<\/html>\s*$/i.test(text);
}
