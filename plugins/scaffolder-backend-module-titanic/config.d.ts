export interface Config {
  titanic?: {
    scaffolder?: {
      /**
       * Directory holding the reference service the template copies (titanic-service/, infra/,
       * the pipeline workflows and docs). Defaults to the portal repository this module lives in.
       */
      sourceRoot?: string;
    };
  };
}
