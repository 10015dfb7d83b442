import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { RapportError } from "../domain/errors.ts";
import type { Platform } from "../domain/vocabulary.ts";
import type { InstallationRows } from "../store/installations.ts";

const VERSION = "v1";

/**
 * Keeps chat-platform installations (their tokens) encrypted at rest with AES-256-GCM: the
 * database holds only `v1.<iv>.<tag>.<ciphertext>`, and a record altered in the database fails
 * to open instead of yielding a wrong token.
 */
export class InstallationVault {
  constructor(
    private readonly rows: InstallationRows,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new RapportError("config_invalid", "The encryption key must be 32 bytes.");
  }

  /** Stores an install's data (any JSON value) under the platform's install key. */
  async save(platform: Platform, installKey: string, data: unknown): Promise<void> {
    await this.rows.put(platform, installKey, this.seal(JSON.stringify(data), `${platform}:${installKey}`));
  }

  /** The data stored for an install, or null when there is none. */
  async fetch(platform: Platform, installKey: string): Promise<unknown> {
    const sealed = await this.rows.get(platform, installKey);
    return sealed === null ? null : JSON.parse(this.open(sealed, `${platform}:${installKey}`));
  }

  /**
   * Throws a one-line `config_invalid` error naming RAPPORT_ENCRYPTION_KEY when the key does not
   * open the latest stored install: with a wrong key every installed workspace would be refused,
   * so rapport refuses to start instead of serving nobody while looking healthy.
   */
  async verifyKey(): Promise<void> {
    const latest = await this.rows.latest();
    if (!latest) return;
    try {
      this.open(latest.sealed, `${latest.platform}:${latest.key}`);
    } catch (cause) {
      throw new RapportError(
        "config_invalid",
        "RAPPORT_ENCRYPTION_KEY does not open the stored installations: it differs from the key they were saved with. " +
          "Set the key they were saved with (installing again after changing it needs the old installations removed).",
        { cause },
      );
    }
  }

  /** Forgets an install (uninstalled, tokens revoked); true when there was one. */
  async remove(platform: Platform, installKey: string): Promise<boolean> {
    return this.rows.remove(platform, installKey);
  }

  // The install key is bound in as associated data: a record copied onto another key fails to open.
  private seal(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv).setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === "string" ? p : p.toString("base64")))
      .join(".");
  }

  private open(sealed: string, aad: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || !data) {
      throw new RapportError("storage_unavailable", "A stored installation is in an unknown format.");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
      decipher.setAAD(Buffer.from(aad)).setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new RapportError(
        "storage_unavailable",
        "A stored installation could not be decrypted: RAPPORT_ENCRYPTION_KEY differs from the one it was saved with.",
        { cause },
      );
    }
  }
}
