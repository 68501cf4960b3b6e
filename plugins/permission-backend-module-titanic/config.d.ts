export interface Config {
  permission?: {
    titanic?: {
      /**
       * Groups whose members administer the portal: they may unregister any entity and delete
       * catalog locations. Entity refs, e.g. "group:default/platform-team".
       */
      platformGroups?: string[];
    };
  };
}
