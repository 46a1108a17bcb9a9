# Applied by scripts/install-tools.sh to backend_state.go and client.go of Terraform's s3 backend
# (see adapter.go): the methods whose signatures changed get private names; adapter.go wraps them.
s/^func (b \*Backend) Workspaces() (/func (b *Backend) workspacesErr() (/
s/^func (b \*Backend) DeleteWorkspace(name string, _ bool) error {/func (b *Backend) deleteWorkspaceErr(name string, _ bool) error {/
s/^func (b \*Backend) StateMgr(name string) (statemgr.Full, error) {/func (b *Backend) stateMgrErr(name string) (statemgr.Full, error) {/
s/^func (c \*RemoteClient) Get() (payload \*remote.Payload, err error) {/func (c *RemoteClient) getErr() (payload *remote.Payload, err error) {/
s/^func (c \*RemoteClient) Put(data \[\]byte) error {/func (c *RemoteClient) putErr(data []byte) error {/
s/^func (c \*RemoteClient) Delete() error {/func (c *RemoteClient) deleteErr() error {/
s/\bb\.Workspaces()/b.workspacesErr()/g
s/return client\.Delete()$/return client.deleteErr()/
