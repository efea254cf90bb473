export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any;
  contentType: string;
  size: number;
  unknown?: boolean;
};
export function startFakeCloudflareApi(opts?: { port?: number }): Promise<{
  url: string;
  requests: RecordedRequest[];
  state: {
    d1: Map<string, { uuid: string; name: string }>;
    buckets: Set<string>;
    queues: Map<string, { queue_id: string; queue_name: string }>;
    hyperdrives: Map<string, { id: string; name: string }>;
    secrets: Map<string, Map<string, string>>;
    scripts: Map<string, unknown>;
    sql: string[];
  };
  close(): Promise<void>;
}>;
