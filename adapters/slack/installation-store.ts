import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { InstallationVault } from "../../src/index.ts";

const CACHE_MS = 5 * 60_000;

/** The key an install is stored under: the enterprise for org-wide installs, else the team. */
export function installKey(query: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string;
  teamId?: string;
}): string {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new Error("a Slack installation query names neither a team nor an enterprise");
  return key;
}

/**
 * Bolt's installation store over rapport's encrypted vault. Every event authorizes through it, so
 * installs are cached for a few minutes (per process); uninstalling clears the cache entry at once.
 */
export class VaultInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { installation: Installation; until: number }>();

  constructor(
    private readonly vault: InstallationVault,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves an install after OAuth. */
  async storeInstallation(installation: Installation): Promise<void> {
    const key = installKey({
      isEnterpriseInstall: installation.isEnterpriseInstall,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    await this.vault.save("slack", key, installation);
    this.cache.set(key, { installation, until: this.now() + CACHE_MS });
  }

  /** The install that authorizes a request; throws when there is none (Bolt then answers 401-like). */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<"v1" | "v2", boolean>> {
    const key = installKey(query);
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.installation;
    const installation = (await this.vault.fetch("slack", key)) as Installation | null;
    if (!installation) throw new Error(`rapport is not installed in Slack workspace ${key}`);
    this.cache.set(key, { installation, until: this.now() + CACHE_MS });
    return installation;
  }

  /** Forgets an install (app_uninstalled, tokens_revoked). */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installKey(query);
    this.cache.delete(key);
    await this.vault.remove("slack", key);
  }
}
