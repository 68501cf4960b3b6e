import { InfoCard } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  isDeliveryAvailable,
} from '../../annotations';

/**
 * Every delivery card and tab reads the entity's GitHub repository: this shows `children` for an
 * entity that names one, and for any other the empty state saying which annotation to add (inside
 * an InfoCard titled `card` on cards).
 */
export function RepositoryRequired(props: {
  card?: { title: string; subheader?: string };
  children: ReactNode;
}) {
  const { entity } = useEntity();
  if (isDeliveryAvailable(entity)) return <>{props.children}</>;
  const missing = (
    <MissingAnnotationEmptyState annotation={GITHUB_PROJECT_SLUG_ANNOTATION} />
  );
  return props.card ? <InfoCard {...props.card}>{missing}</InfoCard> : missing;
}
