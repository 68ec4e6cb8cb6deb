/**
 * What a StackDO asks of the orchestration queue's consumer: one step of one resource (make it, see whether it
 * is ready, remove it, see whether it is gone). A step is keyed by stack, resource and action, so a redelivered
 * message finds the step claimed or done and does nothing twice.
 */
/** Who made a stack: every step re-checks this user's rights in the project before it acts. */
export interface StackOwner {
  userId: string;
  domainId: string;
  domainName: string;
  projectId: string;
  projectName: string;
  region: string;
}

export interface StepMessage {
  kind: 'rts.step';
  stackId: string;
  resource: string;
  step: 'create' | 'check' | 'delete' | 'gone';
}

/** What the consumer is given for a step it claimed: the resource, its owner, and its resolved properties. */
export interface StepJob {
  step: StepMessage['step'];
  stackId: string;
  stackName: string;
  resource: string;
  type: string;
  physicalId: string;
  physicalName: string;
  /** Set when an earlier create of this step may have made the resource already (a retry after a crash). */
  adoptSince: number | null;
  properties: Record<string, unknown>;
  owner: StackOwner;
}

/** What a step came to. */
export type StepResult =
  | { state: 'done'; physicalId?: string; attributes?: Record<string, unknown> }
  | { state: 'pending'; physicalId?: string }
  | { state: 'failed'; reason: string; physicalId?: string };
