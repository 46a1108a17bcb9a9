// Copied into Terraform's s3 backend by scripts/install-tools.sh (terraform_source): the newest
// s3 backend the Go module proxy serves (April 2025) predates Terraform 1.14's backend interfaces,
// whose methods return tfdiags.Diagnostics instead of error. adapter.sed renames the backend's
// methods (Workspaces -> workspacesErr, ...); these wrappers give them the current signatures.
// Nothing else changes: errors become diagnostics exactly as Terraform's own backends do it.

package s3

import (
	"github.com/hashicorp/terraform/internal/states/remote"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
)

func (b *Backend) Workspaces() ([]string, tfdiags.Diagnostics) {
	var diags tfdiags.Diagnostics
	names, err := b.workspacesErr()
	return names, diags.Append(err)
}

func (b *Backend) DeleteWorkspace(name string, force bool) tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(b.deleteWorkspaceErr(name, force))
}

func (b *Backend) StateMgr(name string) (statemgr.Full, tfdiags.Diagnostics) {
	var diags tfdiags.Diagnostics
	mgr, err := b.stateMgrErr(name)
	return mgr, diags.Append(err)
}

func (c *RemoteClient) Get() (*remote.Payload, tfdiags.Diagnostics) {
	var diags tfdiags.Diagnostics
	payload, err := c.getErr()
	return payload, diags.Append(err)
}

func (c *RemoteClient) Put(data []byte) tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(c.putErr(data))
}

func (c *RemoteClient) Delete() tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(c.deleteErr())
}
