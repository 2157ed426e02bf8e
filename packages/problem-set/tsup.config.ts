import { hwTsupConfig } from "../../tsup.shared";

export default hwTsupConfig(import.meta.url);
