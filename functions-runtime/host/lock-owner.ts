/** Who holds a function run's locks in the ConnectionDO: the run's operation, which a sync run's continuations share. */
export const lockOwner = (operationId: number) => `run:${operationId}`;
