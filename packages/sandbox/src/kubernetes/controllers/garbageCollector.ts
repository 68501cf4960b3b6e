/*
 * The garbage collector's background deletion: ReplicaSets and pods whose controlling owner is
 * gone (or replaced by a namesake with another uid) go too; pods through the kubelet, gracefully.
 */

import { controllerOf } from '../apimachinery/objects';
import { DEPLOYMENTS, PODS, REPLICA_SETS } from '../apimachinery/resources';
import { ObjectStore } from '../store/objectStore';
import { NodeAgent } from './controllerContext';

export function collectGarbage(store: ObjectStore, kubelet: NodeAgent) {
  for (const type of [REPLICA_SETS, PODS]) {
    for (const object of store.list(type)) {
      const owner = controllerOf(object);
      if (!owner) continue;
      const ownerType =
        owner.kind === 'Deployment' ? DEPLOYMENTS : REPLICA_SETS;
      const current = store.get(
        ownerType,
        object.metadata.namespace,
        owner.name,
      );
      if (!current || current.metadata.uid !== owner.uid) {
        if (type === PODS) {
          kubelet.terminate(object);
        } else {
          store.remove(type, object.metadata.namespace, object.metadata.name);
        }
      }
    }
  }
}
