// Wire types of Hrana-over-HTTP v2 in its JSON encoding (see libsql docs/HTTP_V2_SPEC.md).
// Incoming bodies are untrusted JSON, so these types describe the intended shape only;
// the executor re-checks every field it relies on.

export type HranaValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

export interface NamedArg {
  name: string;
  value: HranaValue;
}

export interface Stmt {
  sql?: string | null;
  sql_id?: number | null;
  args?: HranaValue[];
  named_args?: NamedArg[];
  want_rows?: boolean;
}

export type BatchCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and'; conds: BatchCond[] }
  | { type: 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

export interface BatchStep {
  condition?: BatchCond | null;
  stmt: Stmt;
}

export interface SqlRef {
  sql?: string | null;
  sql_id?: number | null;
}

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; batch: { steps: BatchStep[] } }
  | ({ type: 'sequence' } & SqlRef)
  | ({ type: 'describe' } & SqlRef)
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'get_autocommit' };

export interface ProtoError {
  message: string;
  code: string;
}

export interface Col {
  name: string | null;
  decltype: string | null;
}

export interface StmtResult {
  cols: Col[];
  rows: HranaValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (ProtoError | null)[];
}

export interface DescribeResult {
  params: { name: string | null }[];
  cols: Col[];
  is_explain: boolean;
  is_readonly: boolean;
}

export type StreamResponse =
  | { type: 'close' | 'sequence' | 'store_sql' | 'close_sql' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'get_autocommit'; is_autocommit: boolean };

export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: ProtoError };

export interface PipelineRequest {
  baton: string | null;
  requests: StreamRequest[];
}

export interface PipelineResponse {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}
