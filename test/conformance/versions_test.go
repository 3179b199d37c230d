package conformance

import (
	"reflect"
	"regexp"
	"runtime"
	"testing"

	cbn "github.com/alibabacloud-go/cbn-20170912/v2/client"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
)

// The same tests run on two builds (go.mod, go.newest.mod): this one proves which SDK
// runtime a build linked, so a wrong module file cannot pass as the other. Test binaries
// carry no module list (debug.ReadBuildInfo), so the version is read from where the linked
// code was compiled from: the module cache folder path@version.
func TestLinksTheModuleVersionsItWasBuiltFor(t *testing.T) {
	want := conf(t).Modules
	if len(want) == 0 {
		t.Fatal("CONFORMANCE_CONFIG names no modules to check")
	}
	linked := map[string]string{
		"github.com/alibabacloud-go/cbn-20170912/v2":      versionOf(t, cbn.NewClient),
		"github.com/alibabacloud-go/darabonba-openapi/v2": versionOf(t, openapi.NewClient),
	}
	for path, version := range want {
		if linked[path] != version {
			t.Errorf("%s: linked %q, want %q", path, linked[path], version)
		} else {
			t.Logf("%s %s", path, version)
		}
	}
}

var moduleVersion = regexp.MustCompile(`@(v[0-9][^/\\]*)[/\\]`)

func versionOf(t *testing.T, fn any) string {
	t.Helper()
	file, _ := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).FileLine(reflect.ValueOf(fn).Pointer())
	m := moduleVersion.FindStringSubmatch(file)
	if m == nil {
		t.Fatalf("cannot tell the module version of %s", file)
	}
	return m[1]
}
